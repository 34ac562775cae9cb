namespace StatefulFunctions.Storage;

/// <summary>The address (as text) and key of a stored dedup record.</summary>
internal readonly record struct IdempotencyRecordKey(string TargetType, string TargetId, string Key);

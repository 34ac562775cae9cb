namespace StatefulFunctions.Runtime;

/// <summary>One record read back from a <see cref="CommitLog"/>: its log sequence number and its opaque payload.</summary>
internal readonly record struct CommitLogRecord(long Lsn, ReadOnlyMemory<byte> Payload);

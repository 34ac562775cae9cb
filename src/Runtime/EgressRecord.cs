namespace StatefulFunctions;

/// <summary>A record read from an egress, with the id to acknowledge it by.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Id">The record's id: unique per application, increasing in publication order.</param>
/// <param name="Value">The record.</param>
public sealed record EgressRecord<T>(long Id, T Value);

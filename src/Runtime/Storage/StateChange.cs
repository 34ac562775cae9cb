namespace StatefulFunctions.Storage;

/// <summary>The new state of one address: its per-member values, or null to delete it.</summary>
/// <param name="Address">The address.</param>
/// <param name="State">The per-member values (state name → MemoryPack bytes), or null to delete.</param>
public readonly record struct StateChange(Address Address, IReadOnlyDictionary<string, byte[]>? State);

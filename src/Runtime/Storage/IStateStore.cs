using StatefulFunctions.Runtime;

namespace StatefulFunctions.Storage;

/// <summary>
/// Where the state of swapped-out instances lives. State is a set of per-member values (MemoryPack bytes under
/// each state name), so members can be added or removed without breaking stored state.
/// </summary>
public interface IStateStore
{
    /// <summary>Loads the stored state of an address, or null when it has none.</summary>
    ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken);

    /// <summary>Saves a batch of state changes atomically: either all are stored or none is.</summary>
    ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// How work on this store becomes real: by default at once, in process (exactly-once within one process); the
    /// LiteDB store commits through a log beside its file instead (exactly-once across crashes).
    /// </summary>
    internal ICommitPipeline CreateCommitPipeline(StatefulFunctionsRuntime runtime) => new ImmediateCommit(this, runtime);
}

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
    /// Tells <paramref name="kinds"/> which kind of store this is, so that the runtime picks how work on it becomes
    /// real without testing its type: a store commits at once, in process, unless it is the LiteDB store, which
    /// commits through a log beside its file.
    /// </summary>
    internal T Choose<T>(IStoreKinds<T> kinds) => kinds.InProcess(this);
}

/// <summary>What is done with each kind of store (see <see cref="IStateStore.Choose{T}"/>).</summary>
internal interface IStoreKinds<out T>
{
    /// <summary>A store in memory or a custom one: work takes effect at once, exactly-once within one process.</summary>
    T InProcess(IStateStore store);

    /// <summary>The LiteDB store: work takes effect once it is in the commit log, exactly-once across crashes.</summary>
    T Durable(LiteDbStateStore store);
}

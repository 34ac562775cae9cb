using System.Collections.Concurrent;

namespace StatefulFunctions.Storage;

/// <summary>A store that keeps state in process memory: for tests and throwaway runs. Nothing survives the process.</summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly ConcurrentDictionary<Address, IReadOnlyDictionary<string, byte[]>> _states = new();

    /// <summary>How many addresses have stored state.</summary>
    public int Count => _states.Count;

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_states.TryGetValue(address, out var state) ? state : null);

    /// <inheritdoc />
    public ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            if (change.State is null)
            {
                _states.TryRemove(change.Address, out _);
            }
            else
            {
                // Copy: the caller may keep mutating its dictionary.
                _states[change.Address] = new Dictionary<string, byte[]>(change.State, StringComparer.Ordinal);
            }
        }

        return ValueTask.CompletedTask;
    }
}

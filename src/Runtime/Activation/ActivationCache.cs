using StatefulFunctions.Diagnostics;
using StatefulFunctions.Generation;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The warm-state cache of one shard: the instances in memory (activations), the bytes they hold against the shard's
/// share of the bound, the order they are swapped out in (CLOCK, an approximation of least recently used that marks an
/// instance on use instead of moving it in a list, so a hit touches nothing but the instance), the pool of function objects that swapped-out instances leave,
/// and the swap-out to the store. In durable mode an instance whose latest change is not yet committed stays warm;
/// the cache is then over the bound until the commit. Used on its shard's loop only, but for the over-bound flag.
/// </summary>
internal sealed class ActivationCache(StatefulFunctionsRuntime runtime, long bound)
{
    private const int MaxPooledPerType = 64;

    private readonly Dictionary<Address, Activation> _activations = new();
    private readonly List<Activation?> _clock = new(); // a slot per activation; freed slots are null until reused
    private readonly Stack<int> _freeSlots = new();
    private int _hand; // the next slot the eviction sweep looks at
    private readonly Dictionary<FunctionType, Stack<IStatefulFunction>> _pool = new();
    private long _bytes;
    private bool _overBound;

    /// <summary>How many instances are warm.</summary>
    public int Count => _activations.Count;

    /// <summary>Whether the instance at <paramref name="address"/> is warm (in memory).</summary>
    public bool IsWarm(Address address) => _activations.ContainsKey(address);

    /// <summary>Whether instances are kept over the bound because their latest change was not yet committed (any thread).</summary>
    public bool IsOverBound => Volatile.Read(ref _overBound);

    /// <summary>Clears <see cref="IsOverBound"/>; true when it was set (the group commit then asks the loop to evict).</summary>
    public bool TakeOverBound()
    {
        if (!Volatile.Read(ref _overBound))
        {
            return false;
        }

        Volatile.Write(ref _overBound, false);
        return true;
    }

    /// <summary>A warm instance's state grew or shrank by <paramref name="delta"/> bytes.</summary>
    public void Resized(long delta) => _bytes += delta;

    /// <summary>The committed state of an address: warm if cached, else from the store. Runs on the loop.</summary>
    public async ValueTask<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address)
    {
        if (_activations.TryGetValue(address, out var warm))
        {
            warm.Disown(); // the reader gets the committed arrays
        }

        var state = warm is not null
            ? warm.Committed
            : await runtime.Store.LoadAsync(address, CancellationToken.None).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        // As a handler would see it: members past their time to live read as a new instance's value.
        var copy = new Dictionary<string, byte[]>(state, StringComparer.Ordinal);
        if (runtime.Model.Functions.TryGetValue(address.Type, out var type))
        {
            type.Expiry.Expire(copy, runtime.TimeProvider.GetUtcNow());
        }

        return copy;
    }

    public async ValueTask<Activation> ActivateAsync(Address address)
    {
        if (_activations.TryGetValue(address, out var warm))
        {
            warm.Referenced = true;
            RuntimeMetrics.CacheHit(warm.Type);
            return warm;
        }

        var type = runtime.GetFunctionType(address.Type);
        RuntimeMetrics.CacheMiss(type);
        var stored = await runtime.Store.LoadAsync(address, CancellationToken.None).ConfigureAwait(false);
        var state = new Dictionary<string, byte[]>(type.InitialState, StringComparer.Ordinal);
        if (stored is not null)
        {
            foreach (var (name, bytes) in stored)
            {
                state[name] = bytes;
            }
        }

        var function = _pool.TryGetValue(type, out var pooled) && pooled.TryPop(out var reused) ? reused : type.Descriptor.Factory();
        var activation = new Activation(address, type, function, state);
        activation.Restore();
        // A new instance starts unmarked (Referenced is false): one used once goes before one used again (scan resistance).
        if (_freeSlots.TryPop(out var slot))
        {
            _clock[slot] = activation;
        }
        else
        {
            slot = _clock.Count;
            _clock.Add(activation);
        }

        activation.Slot = slot;
        _activations.Add(address, activation);
        _bytes += activation.Size;
        return activation;
    }

    /// <summary>Swaps out instances not used lately (CLOCK) until the shard is within its share of the cache bound.</summary>
    public async ValueTask EvictAsync(Activation? keep)
    {
        if (_bytes <= bound)
        {
            return;
        }

        // The CLOCK sweep: an instance used since the hand last passed gets a second chance; two rounds find every
        // instance that may go. One whose latest change is not yet durable stays, as does the one just handled.
        var victims = new List<Activation>();
        for (var looked = 0; looked < 2 * _clock.Count && _bytes > bound; looked++)
        {
            if (_hand >= _clock.Count)
            {
                _hand = 0;
            }

            var candidate = _clock[_hand++];
            if (candidate is null || candidate == keep || candidate.Evicting || candidate.LastUnit is { Committed: false })
            {
                continue;
            }

            if (candidate.Referenced)
            {
                candidate.Referenced = false;
                continue;
            }

            candidate.Evicting = true;
            victims.Add(candidate);
            _bytes -= candidate.Size;
        }

        // Whatever is left over the bound waits for its commit (see EvictIfOverBound).
        Volatile.Write(ref _overBound, _bytes > bound);
        try
        {
            await SwapOutAsync(victims.Where(v => v.Dirty).ToList(), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was swapped out: the victims stay warm and count against the bound again.
            foreach (var victim in victims)
            {
                victim.Evicting = false;
                _bytes += victim.Size;
            }

            Volatile.Write(ref _overBound, _bytes > bound);
            throw;
        }

        foreach (var victim in victims)
        {
            RuntimeMetrics.CacheEviction(victim.Type);
            _clock[victim.Slot] = null;
            _freeSlots.Push(victim.Slot);
            _activations.Remove(victim.Address);
            if (!_pool.TryGetValue(victim.Type, out var stack))
            {
                stack = new Stack<IStatefulFunction>();
                _pool.Add(victim.Type, stack);
            }

            if (stack.Count < MaxPooledPerType)
            {
                stack.Push(victim.Function);
            }
        }
    }

    private async ValueTask SwapOutAsync(List<Activation> dirty, CancellationToken cancellationToken)
    {
        if (dirty.Count == 0)
        {
            return;
        }

        var changes = dirty.ConvertAll(a =>
        {
            a.Disown(); // the store may keep the arrays, even when it fails
            return new StateChange(a.Address, a.Committed);
        });
        await runtime.Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        foreach (var activation in dirty)
        {
            activation.Dirty = false;
        }
    }

    /// <summary>Swaps out every instance with changes the store does not have (when the shard stops).</summary>
    public ValueTask SwapOutDirtyAsync() => SwapOutAsync(_activations.Values.Where(a => a.Dirty).ToList(), CancellationToken.None);
}

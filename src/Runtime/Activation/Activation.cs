using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>
/// A warm instance: a (pooled) function object loaded with one address's state, plus the last committed
/// per-member bytes of that state, which are what a failed handler is rolled back to and what swap-out stores.
/// </summary>
internal sealed class Activation(Address address, FunctionType type, IStatefulFunction function, Dictionary<string, byte[]> committed)
{
    /// <summary>Bytes charged to the cache for an instance besides its state (object, entry and slot).</summary>
    public const int Overhead = 256;

    public Address Address { get; } = address;

    public FunctionType Type { get; } = type;

    public IStatefulFunction Function { get; } = function;

    public Dictionary<string, byte[]> Committed { get; } = committed;

    /// <summary>True when <see cref="Committed"/> has changed since it was last written to the store.</summary>
    public bool Dirty { get; set; }

    public long Size { get; private set; } = SizeOf(address, committed);

    /// <summary>Its slot in the cache's CLOCK.</summary>
    public int Slot { get; set; }

    /// <summary>Used since the CLOCK's hand last passed it: it is passed over once more before it is swapped out.</summary>
    public bool Referenced { get; set; }

    /// <summary>Chosen by an eviction that is swapping it out now.</summary>
    public bool Evicting { get; set; }

    // The committed arrays this activation allocated itself and has not handed out (see CommitInPlace): two slots
    // for the common function of one or two members, a set for more.
    private byte[]? _ownedFirst;
    private byte[]? _ownedSecond;
    private HashSet<byte[]>? _owned;

    /// <summary>In durable mode, the unit holding this instance's latest change: it cannot be swapped out before that is durable.</summary>
    public CommitUnit? LastUnit { get; set; }

    /// <summary>
    /// Takes the members a handler changed into the committed state. Members it did not change, including those the
    /// class no longer declares, keep their values: state written by another version is never dropped.
    /// </summary>
    public void Commit(Dictionary<string, byte[]>? changed)
    {
        if (changed is null)
        {
            return;
        }

        foreach (var (name, bytes) in changed)
        {
            Size += Committed.TryGetValue(name, out var old) ? bytes.Length - old.Length : MemberSize(name, bytes);
            Committed[name] = bytes;
        }

        Dirty = true;
    }

    /// <summary>
    /// As <see cref="Commit"/>, for a pipeline that keeps nothing of <paramref name="changed"/> (in memory): a member
    /// whose committed bytes are this activation's own copy and keep their length is overwritten in place, so a
    /// handler that changes a fixed-size member leaves no new object for the garbage collector to promote. The
    /// activation copies what it takes, so no array it overwrites is ever shared (a type's initial state, a store's
    /// bytes, a fingerprint); arrays handed out (<see cref="Disown"/>) are never written again.
    /// </summary>
    public void CommitInPlace(Dictionary<string, byte[]>? changed)
    {
        if (changed is null)
        {
            return;
        }

        foreach (var (name, bytes) in changed)
        {
            if (Committed.TryGetValue(name, out var old))
            {
                if (old.Length == bytes.Length && IsOwned(old))
                {
                    bytes.CopyTo(old, 0);
                    continue;
                }

                Size += bytes.Length - old.Length;
                Forget(old); // replaced: its slot is free for the new copy
            }
            else
            {
                Size += MemberSize(name, bytes);
            }

            var own = bytes.ToArray();
            Own(own);
            Committed[name] = own;
        }

        Dirty = true;
    }

    /// <summary>The committed arrays are handed out (to a store, or a reader): from now on they are only replaced, never overwritten.</summary>
    public void Disown()
    {
        _ownedFirst = _ownedSecond = null;
        _owned?.Clear();
    }

    private bool IsOwned(byte[] bytes) =>
        ReferenceEquals(bytes, _ownedFirst) || ReferenceEquals(bytes, _ownedSecond) || (_owned is not null && _owned.Contains(bytes));

    private void Forget(byte[] bytes)
    {
        if (ReferenceEquals(bytes, _ownedFirst))
        {
            _ownedFirst = null;
        }
        else if (ReferenceEquals(bytes, _ownedSecond))
        {
            _ownedSecond = null;
        }
        else
        {
            _owned?.Remove(bytes);
        }
    }

    private void Own(byte[] bytes)
    {
        if (_ownedFirst is null)
        {
            _ownedFirst = bytes;
        }
        else if (_ownedSecond is null)
        {
            _ownedSecond = bytes;
        }
        else
        {
            (_owned ??= new HashSet<byte[]>(ReferenceEqualityComparer.Instance)).Add(bytes);
        }
    }

    /// <summary>Puts the function object back to the committed state (after a failed handler).</summary>
    public void Restore() => Function.ReadState(new StateReader(Committed, Address.ToString()));

    private static long SizeOf(Address address, Dictionary<string, byte[]> state)
    {
        long size = Overhead + (address.Id.Length * 2);
        foreach (var (name, bytes) in state)
        {
            size += MemberSize(name, bytes);
        }

        return size;
    }

    private static long MemberSize(string name, byte[] bytes) => 32 + (name.Length * 2) + bytes.Length;
}

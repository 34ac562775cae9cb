namespace StatefulFunctions.Runtime;

/// <summary>
/// The live dedup records, by (address, key). Checking a key and adding its record is one step under a lock, so two
/// concurrent sends with one key never both get through. Records past their time are dropped as new ones are added,
/// earliest expiry first (a priority queue by expiry), never by a scan of the table.
/// </summary>
internal sealed class IdempotencyTable
{
    private readonly object _gate = new();

    // The records are their own keys (compared by address and key): no separate key per record in memory.
    private readonly HashSet<IdempotencyEntry> _entries = new(SameAddressAndKey.Instance);
    private readonly PriorityQueue<IdempotencyEntry, long> _byExpiry = new();

    /// <summary>The live record of <paramref name="candidate"/>'s address and key, or, when there is none, <paramref name="candidate"/> itself, now added.</summary>
    public IdempotencyEntry GetOrAdd(IdempotencyEntry candidate, long nowUnixMs)
    {
        lock (_gate)
        {
            DropExpired(nowUnixMs);
            if (_entries.TryGetValue(candidate, out var existing))
            {
                return existing;
            }

            Add(candidate);
            return candidate;
        }
    }

    /// <summary>The live record of (<paramref name="target"/>, <paramref name="key"/>), if any.</summary>
    public IdempotencyEntry? FindLive(Address target, string key, long nowUnixMs)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(Probe(target, key), out var entry) && entry.ExpiresAtUnixMs > nowUnixMs ? entry : null;
        }
    }

    /// <summary>The record of a message sent with <paramref name="key"/> whose record expires at <paramref name="expiresAtUnixMs"/>, if it is still held.</summary>
    public IdempotencyEntry? Find(Address target, string key, long expiresAtUnixMs)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(Probe(target, key), out var entry) && entry.ExpiresAtUnixMs == expiresAtUnixMs ? entry : null;
        }
    }

    /// <summary>Takes back a record whose message could not be submitted.</summary>
    public void Remove(IdempotencyEntry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(entry, out var current) && current == entry)
            {
                _entries.Remove(entry);
            }
        }
    }

    /// <summary>Adds or replaces a record read back by recovery.</summary>
    public void Load(IdempotencyEntry entry)
    {
        lock (_gate)
        {
            _entries.Remove(entry);
            Add(entry);
        }
    }

    private static IdempotencyEntry Probe(Address target, string key) => new(target, key, default, "", 0, Task.CompletedTask);

    private void Add(IdempotencyEntry entry)
    {
        _entries.Add(entry);
        _byExpiry.Enqueue(entry, entry.ExpiresAtUnixMs);
    }

    private void DropExpired(long nowUnixMs)
    {
        while (_byExpiry.TryPeek(out var oldest, out var expiresAt) && expiresAt <= nowUnixMs)
        {
            _byExpiry.Dequeue();
            if (_entries.TryGetValue(oldest, out var current) && current == oldest)
            {
                _entries.Remove(oldest);
            }
        }
    }

    /// <summary>Two records are about the same key when they have the same address and key.</summary>
    private sealed class SameAddressAndKey : IEqualityComparer<IdempotencyEntry>
    {
        public static readonly SameAddressAndKey Instance = new();

        public bool Equals(IdempotencyEntry? x, IdempotencyEntry? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Target == y.Target && string.Equals(x.Key, y.Key, StringComparison.Ordinal));

        public int GetHashCode(IdempotencyEntry obj) => HashCode.Combine(obj.Target, StringComparer.Ordinal.GetHashCode(obj.Key));
    }
}

using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The live dedup records, by (address, key). Checking a key and adding its record is one step under a lock, so two
/// concurrent sends with one key never both get through. Records past their time are dropped as new ones are added,
/// earliest expiry first (a priority queue by expiry), never by a scan of the table.
/// </summary>
/// <remarks>
/// With durable storage the table holds at most a set number of records (<see cref="SpillTo"/>): past it, the records
/// that expire first and whose final outcome a checkpoint holds leave memory, and only a 64-bit fingerprint of each
/// stays, with its expiry. A key whose fingerprint is among them is looked up in the checkpoint store and put back.
/// Records whose message is not handled (or dead-lettered) yet, or whose outcome no checkpoint holds yet, stay; a
/// re-driven dead letter's record comes back (<see cref="Load"/>) until its new outcome is checkpointed.
/// </remarks>
internal sealed class IdempotencyTable
{
    /// <summary>How many records one eviction looks at and puts back, at most, before it waits for the next checkpoint.</summary>
    private const int EvictionScan = 64;

    private readonly object _gate = new();

    // The records are their own keys (compared by address and key): no separate key per record in memory.
    private readonly HashSet<IdempotencyEntry> _entries = new(SameAddressAndKey.Instance);
    private readonly PriorityQueue<IdempotencyEntry, long> _byExpiry = new();

    // Spilled records: fingerprint → latest expiry, and the fingerprints in the order they left (about expiry order).
    private readonly Dictionary<long, long> _spilled = new();
    private readonly Queue<(long Fingerprint, long ExpiresAt)> _spilledByExpiry = new();
    private readonly List<IdempotencyEntry> _kept = new(EvictionScan);
    private int _limit = int.MaxValue;
    private Func<Address, string, long, IdempotencyEntry?>? _readStored;
    private long _checkpointed;
    private bool _evictionWaits;

    /// <summary>How many records are in memory.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>How many records left memory and are found through the checkpoint store.</summary>
    public int Spilled
    {
        get
        {
            lock (_gate)
            {
                return _spilled.Count;
            }
        }
    }

    /// <summary>
    /// Keeps at most <paramref name="limit"/> records in memory (more while those past it are not yet in a checkpoint);
    /// <paramref name="readStored"/> reads the live record of an address and key back from the checkpoint store (null:
    /// none), given the time.
    /// </summary>
    public void SpillTo(int limit, Func<Address, string, long, IdempotencyEntry?> readStored)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            _limit = limit;
            _readStored = readStored;
        }
    }

    /// <summary>A checkpoint covering the log up to <paramref name="lsn"/> is written: the records settled by then may leave memory.</summary>
    public void Checkpointed(long lsn)
    {
        lock (_gate)
        {
            _checkpointed = Math.Max(_checkpointed, lsn);
            _evictionWaits = false;
            Evict();
        }
    }

    /// <summary>The live record of <paramref name="candidate"/>'s address and key, or, when there is none, <paramref name="candidate"/> itself, now added.</summary>
    public IdempotencyEntry GetOrAdd(IdempotencyEntry candidate, long nowUnixMs)
    {
        lock (_gate)
        {
            DropExpired(nowUnixMs);
            if (TryGetLive(candidate, nowUnixMs) is { } existing)
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
            return TryGetLive(Probe(target, key), nowUnixMs) is { } entry && entry.ExpiresAtUnixMs > nowUnixMs ? entry : null;
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

    /// <summary>Whether memory holds a record of (<paramref name="target"/>, <paramref name="key"/>), live or not (the store is not read).</summary>
    public bool Holds(Address target, string key)
    {
        lock (_gate)
        {
            return _entries.Contains(Probe(target, key));
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

    /// <summary>Adds or replaces a record read back by recovery, or one whose message is handled again (it replaces a copy read from the store).</summary>
    public void Load(IdempotencyEntry entry)
    {
        lock (_gate)
        {
            _entries.Remove(entry);
            Add(entry);
        }
    }

    private static IdempotencyEntry Probe(Address target, string key) => new(target, key, default, "", 0, Task.CompletedTask);

    private static long Fingerprint(IdempotencyEntry entry) => new IdempotencyRecordKey(entry.Target.Type.ToString(), entry.Target.Id, entry.Key).Fingerprint();

    /// <summary>The record in memory, or the one a spilled fingerprint leads to in the store (put back in memory).</summary>
    private IdempotencyEntry? TryGetLive(IdempotencyEntry probe, long nowUnixMs)
    {
        if (_entries.TryGetValue(probe, out var existing))
        {
            return existing;
        }

        if (_spilled.Count == 0 || _readStored is null || !_spilled.TryGetValue(Fingerprint(probe), out var expiresAt) || expiresAt <= nowUnixMs)
        {
            return null;
        }

        var stored = _readStored(probe.Target, probe.Key, nowUnixMs);
        if (stored is null)
        {
            return null;
        }

        // It is in the store already: it may leave memory again.
        stored.MarkStoredFrom(_checkpointed);
        Add(stored);
        return stored;
    }

    private void Add(IdempotencyEntry entry)
    {
        _entries.Add(entry);
        _byExpiry.Enqueue(entry, entry.ExpiresAtUnixMs);
        if (_entries.Count > _limit && !_evictionWaits)
        {
            Evict();
        }
    }

    /// <summary>
    /// Moves the records that expire first and are in a checkpoint out of memory until the table is within its limit.
    /// When the ones it looks at must stay, it stops until the next checkpoint.
    /// </summary>
    private void Evict()
    {
        if (_readStored is null)
        {
            return;
        }

        var evicted = 0;
        while (_entries.Count > _limit && _kept.Count < EvictionScan && _byExpiry.TryDequeue(out var oldest, out var expiresAt))
        {
            if (!_entries.TryGetValue(oldest, out var current) || current != oldest)
            {
                continue; // replaced or taken back: not in the table
            }

            if (oldest.StoredFrom is 0 || oldest.StoredFrom > _checkpointed)
            {
                _kept.Add(oldest);
                continue;
            }

            _entries.Remove(oldest);
            var fingerprint = Fingerprint(oldest);
            _spilled[fingerprint] = _spilled.TryGetValue(fingerprint, out var known) ? Math.Max(known, expiresAt) : expiresAt;
            _spilledByExpiry.Enqueue((fingerprint, expiresAt));
            evicted++;
        }

        // Nothing could go (what expires first is not handled or not checkpointed yet): the next checkpoint tries again.
        _evictionWaits = _entries.Count > _limit && evicted == 0;
        foreach (var kept in _kept)
        {
            _byExpiry.Enqueue(kept, kept.ExpiresAtUnixMs);
        }

        _kept.Clear();
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

        while (_spilledByExpiry.TryPeek(out var spilled) && spilled.ExpiresAt <= nowUnixMs)
        {
            _spilledByExpiry.Dequeue();
            if (_spilled.TryGetValue(spilled.Fingerprint, out var latest) && latest <= nowUnixMs)
            {
                _spilled.Remove(spilled.Fingerprint);
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

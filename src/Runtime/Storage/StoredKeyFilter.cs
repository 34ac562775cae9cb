namespace StatefulFunctions.Storage;

/// <summary>
/// A Bloom filter of the addresses that have state in the LiteDB file, so that loading an address that was never
/// stored (every first message to a new instance) costs no LiteDB lookup. False positives only cost a lookup;
/// there are no false negatives. Persisted with each checkpoint, so it survives restarts. The hash is FNV-1a 64,
/// stable across processes.
/// </summary>
internal sealed class StoredKeyFilter
{
    /// <summary>2 MiB of bits: about 0.05% false positives at a million addresses, still useful at ten million.</summary>
    private const int Bits = 16 * 1024 * 1024;
    private const int Hashes = 7;
    private readonly ulong[] _words;

    public StoredKeyFilter()
        : this(new ulong[Bits / 64])
    {
    }

    private StoredKeyFilter(ulong[] words) => _words = words;

    public static StoredKeyFilter? FromBytes(byte[] bytes) =>
        bytes.Length == Bits / 8 ? new StoredKeyFilter(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes).ToArray()) : null;

    public byte[] ToBytes() => System.Runtime.InteropServices.MemoryMarshal.AsBytes(_words.AsSpan()).ToArray();

    public void Add(string key)
    {
        var (h1, h2) = Hash(key);
        for (var i = 0; i < Hashes; i++)
        {
            var bit = (h1 + ((uint)i * h2)) % Bits;
            Interlocked.Or(ref _words[bit / 64], 1UL << (int)(bit % 64));
        }
    }

    public bool MightContain(string key)
    {
        var (h1, h2) = Hash(key);
        for (var i = 0; i < Hashes; i++)
        {
            var bit = (h1 + ((uint)i * h2)) % Bits;
            if ((Volatile.Read(ref _words[bit / 64]) & (1UL << (int)(bit % 64))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static (uint H1, uint H2) Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return ((uint)hash, (uint)(hash >> 32) | 1);
    }
}

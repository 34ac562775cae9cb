using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// The shards: which one owns an address, and what tests and metrics ask them.
public sealed partial class StatefulFunctionsRuntime
{
    /// <summary>Adds each shard's inbox depth to <paramref name="depths"/>, by shard index (for the inbox depth gauge).</summary>
    internal void AddInboxDepths(List<long> depths)
    {
        for (var i = 0; i < _shards.Length; i++)
        {
            if (depths.Count == i)
            {
                depths.Add(0);
            }

            depths[i] += _shards[i].InboxDepth;
        }
    }

    /// <summary>The committed state of an address (warm or stored), per member; null when it has none.</summary>
    internal Task<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address) =>
        ShardOf(address).RunOnLoopAsync(shard => shard.ReadStateAsync(address));

    /// <summary>Whether the instance at <paramref name="address"/> is warm (in memory) now.</summary>
    internal Task<bool> IsWarmAsync(Address address) =>
        ShardOf(address).RunOnLoopAsync(shard => ValueTask.FromResult(shard.Cache.IsWarm(address)));

    internal int ShardIndexOf(Address address) => (int)(StableHash(address) % (uint)_shards.Length);

    /// <summary>How many instances are warm (in memory) across all shards.</summary>
    internal async Task<int> CountWarmAsync()
    {
        var counts = await Task.WhenAll(_shards.Select(s => s.RunOnLoopAsync(shard => ValueTask.FromResult(shard.WarmCount)))).ConfigureAwait(false);
        return counts.Sum();
    }

    /// <summary>
    /// FNV-1a over the type name and id: stable across processes and restarts (unlike string.GetHashCode),
    /// so an address always lands on the same shard.
    /// </summary>
    internal static uint StableHash(Address address)
    {
        var hash = 2166136261u;
        hash = Mix(hash, address.Type.Namespace);
        hash = Mix(hash, "/");
        hash = Mix(hash, address.Type.Name);
        hash = Mix(hash, "/");
        return Mix(hash, address.Id);

        static uint Mix(uint hash, string text)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return hash;
        }
    }

    private Shard ShardOf(Address address) => _shards[ShardIndexOf(address)];
}

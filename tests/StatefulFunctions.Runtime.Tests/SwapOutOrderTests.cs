using System.Collections.Concurrent;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>Which instances the warm-state cache swaps out first when it is over its bound.</summary>
public sealed class SwapOutOrderTests
{
    [Fact]
    public async Task An_instance_used_again_and_again_stays_warm_while_instances_used_once_are_swapped_out()
    {
        var store = new CountingStore();
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.CacheBytes = 8 * 1024, store);
        var hot = Counter.At("hot").Untyped;
        for (var i = 0; i < 200; i++)
        {
            await app.Client.SendAsync(Counter.At($"once-{i}").Untyped, new Increment(1));
            await app.Client.SendAsync(hot, new Increment(1));
            await app.RunUntilIdleAsync();
        }

        // The bound holds a handful of instances: most of the 200 used once were swapped out, the hot one never was.
        Assert.InRange(store.Saved.Count, 150, 200);
        Assert.False(store.Saved.ContainsKey(Counter.At("hot").Untyped), "the instance used on every round was swapped out");
        Assert.Equal(1, store.Loads.GetValueOrDefault(hot));
        Assert.Equal(200, await app.GetStateAsync<int>(hot, "count"));
    }

    [Fact]
    public async Task Instances_unused_since_the_last_sweep_go_before_instances_used_since()
    {
        var store = new CountingStore();
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.CacheBytes = 8 * 1024, store);
        var warmCount = 0;
        for (var i = 0; warmCount == i; i++)
        {
            // Fill the cache until the first swap-out: then it holds as many instances as fit.
            await app.Client.SendAsync(Counter.At($"a-{i}").Untyped, new Increment(1));
            await app.RunUntilIdleAsync();
            warmCount = await app.Runtime.CountWarmAsync();
        }

        var fit = warmCount;
        var warm = Enumerable.Range(0, fit + 1).Select(i => Counter.At($"a-{i}").Untyped).Where(a => !store.Saved.ContainsKey(a)).ToList();
        var used = warm.Take(warm.Count / 2).ToList();
        foreach (var address in used)
        {
            await app.Client.SendAsync(address, new Increment(1));
        }

        await app.RunUntilIdleAsync();
        for (var i = 0; i < warm.Count / 2 - 1; i++)
        {
            await app.Client.SendAsync(Counter.At($"b-{i}").Untyped, new Increment(1));
            await app.RunUntilIdleAsync();
        }

        Assert.All(used, address => Assert.False(store.Saved.ContainsKey(address), $"{address} was used again, yet swapped out before instances that were not"));
    }

    /// <summary>An in-memory store that counts loads and remembers which addresses were saved.</summary>
    private sealed class CountingStore : IStateStore
    {
        private readonly InMemoryStateStore _inner = new();

        public ConcurrentDictionary<Address, int> Loads { get; } = new();

        public ConcurrentDictionary<Address, bool> Saved { get; } = new();

        public ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken)
        {
            Loads.AddOrUpdate(address, 1, (_, n) => n + 1);
            return _inner.LoadAsync(address, cancellationToken);
        }

        public ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
        {
            foreach (var change in changes)
            {
                Saved[change.Address] = true;
            }

            return _inner.SaveAsync(changes, cancellationToken);
        }
    }
}

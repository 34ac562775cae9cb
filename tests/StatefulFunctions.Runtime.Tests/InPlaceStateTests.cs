using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// In memory, a warm instance's committed bytes are overwritten in place when a member keeps its size. These pin that
/// no array anyone else holds is ever overwritten: a type's initial state, bytes handed to a reader or a store (the
/// time-to-live stamps two members share are covered, warm and swapped out, in <see cref="RuntimeTests"/>).
/// </summary>
public sealed class InPlaceStateTests
{
    [Fact]
    public async Task Changing_a_warm_instance_never_changes_the_state_a_new_instance_starts_with()
    {
        await using var app = await Testing.TestApplication.StartAsync(new TestModule());
        var first = Counter.At("first").Untyped;
        for (var i = 0; i < 5; i++)
        {
            await app.Client.SendAsync(first, new Increment(1));
            await app.RunUntilIdleAsync();
        }

        await app.Client.SendAsync(Counter.At("second").Untyped, new Increment(10));
        await app.RunUntilIdleAsync();

        Assert.Equal(5, await app.GetStateAsync<int>(first, "count"));
        Assert.Equal(10, await app.GetStateAsync<int>(Counter.At("second").Untyped, "count"));
        Assert.Equal(0, await app.GetStateAsync<int>(Counter.At("third").Untyped, "count"));
    }

    [Fact]
    public async Task State_read_from_a_warm_instance_keeps_its_bytes_when_the_instance_changes_afterwards()
    {
        await using var app = await Testing.TestApplication.StartAsync(new TestModule());
        var counter = Counter.At("c").Untyped;
        await app.Client.SendAsync(counter, new Increment(1));
        await app.Client.SendAsync(counter, new Increment(1));
        await app.RunUntilIdleAsync();

        var read = (await app.Runtime.Services.ReadStateAsync(counter))!;
        var before = read["count"].ToArray();
        await app.Client.SendAsync(counter, new Increment(40));
        await app.Client.SendAsync(counter, new Increment(1));
        await app.RunUntilIdleAsync();

        Assert.Equal(before, read["count"]);
        Assert.Equal(2, MemoryPack.MemoryPackSerializer.Deserialize<int>(read["count"]));
        Assert.Equal(43, await app.GetStateAsync<int>(counter, "count"));
    }

    [Fact]
    public async Task State_handed_to_a_store_that_failed_keeps_its_bytes_while_the_instance_goes_on_changing()
    {
        var store = new KeepingStore();
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.CacheBytes = 1, store);
        var counter = Counter.At("c").Untyped;
        await app.Client.SendAsync(counter, new Increment(1));
        await app.Client.SendAsync(counter, new Increment(1));
        await app.RunUntilIdleAsync();

        // Every swap-out failed: the instance stayed warm, and the store holds the arrays it was given.
        Assert.NotEmpty(store.Given);
        var given = store.Given.ToList();
        for (var i = 0; i < 5; i++)
        {
            await app.Client.SendAsync(counter, new Increment(100));
            await app.RunUntilIdleAsync();
        }

        Assert.All(given, g => Assert.Equal(g.Copy, g.Array));
        Assert.Equal(502, await app.GetStateAsync<int>(counter, "count"));
        store.Failing = false; // the last swap-out, as the application stops, succeeds
    }

    /// <summary>A store that keeps the state it is given and then fails (while <see cref="Failing"/>), so the instances stay warm.</summary>
    private sealed class KeepingStore : IStateStore
    {
        public bool Failing { get; set; } = true;

        /// <summary>Each array of the member <c>count</c> the store was given, with a copy of its bytes then.</summary>
        public List<(byte[] Array, byte[] Copy)> Given { get; } = new();

        public ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, byte[]>?>(null);

        public ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
        {
            lock (Given)
            {
                foreach (var change in changes)
                {
                    if (change.State?.TryGetValue("count", out var bytes) == true)
                    {
                        Given.Add((bytes, bytes.ToArray()));
                    }
                }
            }

            return Failing ? ValueTask.FromException(new IOException("the disk is full")) : ValueTask.CompletedTask;
        }
    }
}

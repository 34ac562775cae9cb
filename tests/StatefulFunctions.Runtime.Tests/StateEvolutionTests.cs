using MemoryPack;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>State written by another version of a function class still loads, and nothing stored is dropped.</summary>
public sealed class StateEvolutionTests
{
    [Fact]
    public async Task A_member_missing_from_stored_state_starts_as_in_a_new_instance_and_an_unknown_one_is_kept()
    {
        // Written by an "older" Counter: it had `count` and a member since removed, but no `sequence` yet.
        var address = Counter.At("old").Untyped;
        var store = new InMemoryStateStore();
        await store.SaveAsync(
            [new StateChange(address, new Dictionary<string, byte[]>
            {
                ["count"] = MemoryPackSerializer.Serialize(41),
                ["nickname"] = MemoryPackSerializer.Serialize("kept"),
            })],
            CancellationToken.None);

        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(address, new Increment(1));

            // `sequence` has no stored value: it starts as the field initializer makes it (an empty list, not null).
            await app.Client.SendAsync(address, new Sequenced("s", 0));
            await app.RunUntilIdleAsync();
            Assert.Equal(42, await app.GetStateAsync<int>(address, "count"));
            Assert.Equal(["s:0"], await app.GetStateAsync<List<string>>(address, "sequence"));
        }

        var stored = await store.LoadAsync(address, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("kept", MemoryPackSerializer.Deserialize<string>(stored["nickname"]));
        Assert.Equal(42, MemoryPackSerializer.Deserialize<int>(stored["count"]));
    }

    [Fact]
    public async Task Stored_state_that_cannot_be_read_is_dead_lettered_with_the_member_named_and_left_untouched()
    {
        var address = Counter.At("corrupt").Untyped;
        var store = new InMemoryStateStore();
        var garbage = new byte[] { 1, 2 };
        await store.SaveAsync([new StateChange(address, new Dictionary<string, byte[]> { ["count"] = garbage })], CancellationToken.None);

        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(address, new Increment(1));
            await app.RunUntilIdleAsync();

            var deadLetter = Assert.Single(app.DeadLetters);
            Assert.Contains("Persisted state 'count' of tests/counter/corrupt", deadLetter.Exception, StringComparison.Ordinal);
        }

        Assert.Equal(garbage, (await store.LoadAsync(address, CancellationToken.None))!["count"]);
    }
}

using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary><c>ReadEgressBatchAsync</c>: what is there now, at most so many; a bounded wait when nothing is.</summary>
public abstract class EgressBatchTests() : PerStoreTests("sf-egress-batch-")
{
    [Fact]
    public async Task A_batch_read_returns_what_is_there_at_most_so_many_and_then_nothing_at_once()
    {
        await using var runtime = await StartAsync(CreateStore());
        for (var i = 0; i < 3; i++)
        {
            await runtime.Client.SendAsync(Counter.At("b").Untyped, new Increment(1));
        }

        await runtime.WhenIdleAsync();

        Assert.Equal(["b=1", "b=2"], await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 2, TimeSpan.Zero));
        Assert.Equal(["b=3"], await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 10, TimeSpan.Zero));
        Assert.Empty(await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 10, TimeSpan.Zero));
        Assert.Empty(await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 10, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public async Task A_batch_read_with_nothing_there_waits_for_the_first_record()
    {
        await using var runtime = await StartAsync(CreateStore());

        var reading = runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 10, TimeSpan.FromMinutes(2)).AsTask();
        await runtime.Client.SendAsync(Counter.At("w").Untyped, new Increment(5));

        Assert.Equal(["w=5"], await reading);
    }

    [Fact]
    public async Task A_batch_read_refuses_a_bound_below_one_and_a_negative_wait()
    {
        await using var runtime = await StartAsync(CreateStore());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 0, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 1, TimeSpan.FromSeconds(-1)));
    }

    protected static async Task<StatefulFunctionsRuntime> StartAsync(IStateStore store)
    {
        var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store);
        await runtime.StartAsync();
        return runtime;
    }
}

/// <summary>The batch reads in memory.</summary>
public sealed class InMemoryEgressBatchTests : EgressBatchTests
{
    protected override IStateStore CreateStore() => new InMemoryStateStore();
}

/// <summary>The batch reads on LiteDB: what a batch returned is acknowledged, so a restart does not read it again.</summary>
public sealed class LiteDbEgressBatchTests : EgressBatchTests
{
    protected override IStateStore CreateStore() => Track(new LiteDbStateStore(NewDatabasePath()));

    [Fact]
    public async Task What_a_batch_returned_is_not_read_again_after_a_restart_and_what_it_left_is()
    {
        var path = NewDatabasePath();
        using (var store = new LiteDbStateStore(path))
        await using (var runtime = await StartAsync(store))
        {
            for (var i = 0; i < 3; i++)
            {
                await runtime.Client.SendAsync(Counter.At("r").Untyped, new Increment(1));
            }

            await runtime.WhenIdleAsync();
            Assert.Equal(["r=1", "r=2"], await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 2, TimeSpan.Zero));
        }

        using (var store = new LiteDbStateStore(path))
        await using (var runtime = await StartAsync(store))
        {
            Assert.Equal(["r=3"], await runtime.Client.ReadEgressBatchAsync(TestModule.Counts, maxRecords: 10, TimeSpan.FromMinutes(1)));
        }
    }
}

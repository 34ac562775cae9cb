using System.Text;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// The one limit on an address (an id of 1 to <see cref="Address.MaxIdBytes"/> UTF-8 bytes of plain text, a function
/// type name of at most <see cref="TypeName.MaxFunctionTypeBytes"/>), checked wherever an address enters, before
/// anything is logged; and every address within it stored and read back by LiteDB. Runs once per store.
/// </summary>
public abstract class AddressLimitTests() : PerStoreTests("sf-address-")
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly IngressId<string> Ids = new("tests/ids");

    /// <summary>Ids that are refused, with a word the refusal names.</summary>
    public static TheoryData<string, string> RefusedIds => new()
    {
        { new string('v', Address.MaxIdBytes + 1), "1,024 bytes" },
        { new string('€', 342), "1,026" }, // 342 characters, 1,026 bytes: the limit counts bytes
        { "", "empty" },
        { "   ", "white space" },
        { "a\u0001b", "control characters" },
        { "line\nbreak", "control characters" },
        { "lone\uD800surrogate", "lone surrogate" },
        { "\uDC00", "lone surrogate" },
    };

    /// <summary>Ids at the edge of the limit, which work.</summary>
    public static TheoryData<string> AcceptedIds => new()
    {
        new string('v', Address.MaxIdBytes),
        new string('€', 341) + "a", // 1,024 bytes
        "emoji-\U0001F600-pair",
        "with/slash and spaces",
    };

    [Theory]
    [MemberData(nameof(RefusedIds), DisableDiscoveryEnumeration = true)] // xunit's serialisation would turn a lone surrogate into U+FFFD
    public async Task An_id_outside_the_limit_is_refused_by_every_way_in_naming_the_problem_and_nothing_is_logged(string id, string named)
    {
        var store = CreateStore();
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule(), new IdsModule()], store: store))
        {
            await runtime.StartAsync();
            var target = Counter.At(id).Untyped;

            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.SendAsync(target, new Increment(1)).AsTask()));
            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.SendAsync(target, new Increment(1), "key-1").AsTask()));
            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.AskAsync<int>(target, new GetCount(), HangGuard)));
            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.AskAsync<int>(target, new GetCount(), HangGuard, "key-2")));

            // A router's output: the whole event is refused, also the valid message it routed first.
            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.IngestAsync(Ids, "valid|" + id).AsTask()));
            AssertNames(named, await Assert.ThrowsAsync<ArgumentException>(() => runtime.Client.IngestAsync(Ids, "valid|" + id, "key-3").AsTask()));

            // A handler's send and delayed send: the handler fails (and is dead-lettered) naming the problem.
            await runtime.Client.SendAsync(Forwarder.At("now").Untyped, new ForwardTo(id.ToCharArray(), Delayed: false));
            await runtime.Client.SendAsync(Forwarder.At("later").Untyped, new ForwardTo(id.ToCharArray(), Delayed: true));
            await runtime.WhenIdleAsync().WaitAsync(HangGuard);
            var deadLetters = runtime.GetDeadLetters();
            Assert.Equal(2, deadLetters.Count);
            Assert.All(deadLetters, d => Assert.Contains(named, d.Exception, StringComparison.Ordinal));

            Assert.Equal(0L, runtime.PendingCount);
            Assert.Null(await runtime.ReadStateAsync(Counter.At("valid").Untyped));
        }

        if (store is LiteDbStateStore durable)
        {
            // Nothing of the refused sends is in the log: a restart recovers the two dead letters and nothing else.
            var path = durable.Path;
            durable.Dispose();
            await using var restarted = new StatefulFunctionsRuntime([new TestModule(), new IdsModule()], store: Track(new LiteDbStateStore(path)));
            await restarted.StartAsync();
            await restarted.WhenIdleAsync().WaitAsync(HangGuard);
            Assert.Equal(2, restarted.GetDeadLetters().Count);
            Assert.Null(await restarted.ReadStateAsync(Counter.At("valid").Untyped));
        }
    }

    [Theory]
    [MemberData(nameof(AcceptedIds))]
    public async Task An_id_at_the_edge_of_the_limit_works_by_every_way_in_and_is_stored_and_read_back(string id)
    {
        var store = CreateStore();
        var target = Counter.At(id).Untyped;
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule(), new IdsModule()], store: store))
        {
            await runtime.StartAsync();
            await runtime.Client.SendAsync(target, new Increment(1));
            await runtime.Client.SendAsync(target, new Increment(1), "key-1");
            await runtime.Client.IngestAsync(Ids, "valid|" + id);
            await runtime.Client.SendAsync(Forwarder.At("now").Untyped, new ForwardTo(id.ToCharArray(), Delayed: false));
            await runtime.Client.SendAsync(Forwarder.At("later").Untyped, new ForwardTo(id.ToCharArray(), Delayed: true));
            await WaitForCountAsync(runtime, target, 5);
            Assert.Equal(5, await runtime.Client.AskAsync<int>(target, new GetCount(), HangGuard));
            Assert.Empty(runtime.GetDeadLetters());
            Assert.Null(runtime.StorageFailure);
        }

        if (store is LiteDbStateStore durable)
        {
            // Stopped with a final checkpoint: the state is in LiteDB, under its key or the hash of it.
            Assert.True(durable.CheckpointLsn > 0);
            var path = durable.Path;
            durable.Dispose();
            await using var restarted = new StatefulFunctionsRuntime([new TestModule()], store: Track(new LiteDbStateStore(path)));
            await restarted.StartAsync();
            Assert.Equal(6, await restarted.Client.AskAsync<int>(target, new IncrementAndGet(1), HangGuard));
        }
    }

    [Fact]
    public async Task A_function_type_name_longer_than_the_limit_is_refused_when_it_is_registered()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Testing.TestApplication.StartAsync(new LongNameModule()));
        Assert.Contains($"is {Encoding.UTF8.GetByteCount(LongNamedFunction.Name):N0} bytes in UTF-8; a function type name is at most 255", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LongNamedFunction), error.Message, StringComparison.Ordinal);
    }

    private static void AssertNames(string named, ArgumentException exception)
    {
        Assert.Contains("The id of an address of 'tests/counter' ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForCountAsync(StatefulFunctionsRuntime runtime, Address target, int count)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (await runtime.Client.AskAsync<int>(target, new GetCount(), HangGuard) < count)
        {
            await Task.Delay(10, guard.Token);
        }
    }

    /// <summary>An ingress whose router sends each part of a '|'-separated event to the counter of that id.</summary>
    private sealed class IdsModule : IStatefulFunctionModule
    {
        public void Configure(IModuleBuilder module) => module.AddRouter(Ids, new SplitRouter());

        private sealed class SplitRouter : IRouter<string>
        {
            public void Route(string @event, IDownstream downstream)
            {
                foreach (var id in @event.Split('|'))
                {
                    downstream.Forward(Counter.At(id).Untyped, new Increment(1));
                }
            }
        }
    }

    private sealed class LongNameModule : IStatefulFunctionModule
    {
        public void Configure(IModuleBuilder module) => ((Generation.IFunctionRegistrar)module).AddFunction(LongNamedFunction.Descriptor); // the application's builder is also the registrar of generated code
    }

    /// <summary>A function type of a 256-byte name (registered by hand: a generated one would be in every test's module).</summary>
    private static class LongNamedFunction
    {
        public static readonly string Name = "tests/" + new string('n', 250);

        public static Generation.FunctionDescriptor Descriptor => new(TypeName.Parse(Name), typeof(LongNamedFunction), static () => new Counter(), [], []);
    }
}

/// <summary>The address limits on in-memory storage.</summary>
public sealed class InMemoryAddressLimitTests : AddressLimitTests
{
    protected override IStateStore CreateStore() => new InMemoryStateStore();
}

/// <summary>The address limits on durable storage: LiteDB checkpoints and the commit log, on real files.</summary>
public sealed class LiteDbAddressLimitTests : AddressLimitTests
{
    protected override IStateStore CreateStore() => Track(new LiteDbStateStore(NewDatabasePath()));
}

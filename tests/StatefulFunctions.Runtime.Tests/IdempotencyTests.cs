using StatefulFunctions.Runtime.Tests.Functions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Sends and asks with idempotency keys: a retry is acknowledged again and not delivered again, an ask retry gets the
/// original reply, a key is forgotten after its window, and a key reused for a different message is a conflict. Runs
/// once per store (see <see cref="InMemoryIdempotencyTests"/> and <see cref="LiteDbIdempotencyTests"/>).
/// </summary>
public abstract class IdempotencyTests() : PerStoreTests("sf-idempotency-")
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_send_repeated_with_its_key_is_acknowledged_every_time_and_delivered_once()
    {
        await using var app = await StartAsync();
        var counter = Counter.At("repeated").Untyped;
        var other = Counter.At("other").Untyped;

        for (var i = 0; i < 3; i++)
        {
            await app.Client.SendAsync(counter, new Increment(1), "order-1");
        }

        await app.Client.SendAsync(counter, new Increment(1), "order-2");
        await app.Client.SendAsync(Counter.At("other"), new Increment(1), "order-1"); // a key belongs to its address
        await app.RunUntilIdleAsync();

        Assert.Equal(2, await app.GetStateAsync<int>(counter, "count"));
        Assert.Equal(1, await app.GetStateAsync<int>(other, "count"));
        Assert.Equal(2, app.Delivered.Count(m => m.Target == counter));
    }

    [Fact]
    public async Task Concurrent_sends_with_one_key_deliver_the_message_once()
    {
        await using var app = await StartAsync();
        var counter = Counter.At("concurrent").Untyped;

        var sends = Enumerable.Range(0, 64)
            .Select(_ => Task.Run(async () => await app.Client.SendAsync(counter, new Increment(1), "the-key")))
            .ToList();
        await Task.WhenAll(sends);
        await app.RunUntilIdleAsync();

        Assert.Equal(1, await app.GetStateAsync<int>(counter, "count"));
        Assert.Single(app.Delivered, m => m.Target == counter);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_message_is_a_conflict_naming_the_key_and_nothing_is_sent()
    {
        await using var app = await StartAsync();
        var counter = Counter.At("conflict").Untyped;
        await app.Client.SendAsync(counter, new Increment(1), "payment-7");

        var otherBody = await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await app.Client.SendAsync(counter, new Increment(2), "payment-7"));
        Assert.Equal(("payment-7", counter), (otherBody.IdempotencyKey, otherBody.Target));
        Assert.Contains("Idempotency key 'payment-7' was already used for a", otherBody.Message, StringComparison.Ordinal);
        Assert.Contains("with a different body to tests/counter/conflict", otherBody.Message, StringComparison.Ordinal);

        var otherType = await Assert.ThrowsAsync<IdempotencyConflictException>(() => app.Client.AskAsync<int>(counter, new IncrementAndGet(1), Wait, "payment-7"));
        Assert.Contains("IncrementAndGet", otherType.Message, StringComparison.Ordinal);

        await app.RunUntilIdleAsync();
        Assert.Equal(1, await app.GetStateAsync<int>(counter, "count"));
        Assert.Single(app.Delivered, m => m.Target == counter);
    }

    [Fact]
    public async Task A_key_is_remembered_for_the_window_and_forgotten_after_it()
    {
        await using var app = await StartAsync(o => o.IdempotencyWindow = TimeSpan.FromHours(1));
        var counter = Counter.At("window").Untyped;

        await app.Client.SendAsync(counter, new Increment(1), "k");
        await app.AdvanceAsync(TimeSpan.FromMinutes(59));
        await app.Client.SendAsync(counter, new Increment(1), "k");
        await app.RunUntilIdleAsync();
        Assert.Equal(1, await app.GetStateAsync<int>(counter, "count"));

        // An hour after it was accepted the key is forgotten: the same send is a new message, remembered anew.
        await app.AdvanceAsync(TimeSpan.FromMinutes(1));
        await app.Client.SendAsync(counter, new Increment(1), "k");
        await app.AdvanceAsync(TimeSpan.FromMinutes(30));
        await app.Client.SendAsync(counter, new Increment(1), "k");
        await app.RunUntilIdleAsync();
        Assert.Equal(2, await app.GetStateAsync<int>(counter, "count"));
    }

    [Fact]
    public async Task An_ask_retried_with_its_key_gets_the_original_reply_and_the_message_is_not_handled_again()
    {
        await using var app = await StartAsync();
        var counter = Counter.At("asked").Untyped;

        Assert.Equal(5, await app.Client.AskAsync<int>(counter, new IncrementAndGet(5), Wait, "deposit-1"));
        Assert.Equal(5, await app.Client.AskAsync<int>(counter, new IncrementAndGet(5), Wait, "deposit-1"));
        Assert.Equal(7, await app.Client.AskAsync<int>(counter, new IncrementAndGet(2), Wait, "deposit-2"));

        // A message first sent (not asked) with a key keeps its reply too: an ask retry gets it.
        await app.Client.SendAsync(counter, new IncrementAndGet(1), "deposit-3");
        Assert.Equal(8, await app.Client.AskAsync<int>(counter, new IncrementAndGet(1), Wait, "deposit-3"));

        await app.RunUntilIdleAsync();
        Assert.Equal(8, await app.GetStateAsync<int>(counter, "count"));
    }

    [Fact]
    public async Task An_ask_retried_while_the_original_is_still_handled_waits_for_the_same_reply()
    {
        await using var app = await StartAsync();
        var id = $"gate-{Guid.NewGuid():N}";
        var gate = Gate.At(id).Untyped;
        var open = Gate.Close(id);

        var first = app.Client.AskAsync<int>(gate, new HoldAndCount(), Wait, "hold-1");
        var retry = app.Client.AskAsync<int>(gate, new HoldAndCount(), Wait, "hold-1");
        await Task.Delay(50);
        Assert.False(first.IsCompleted || retry.IsCompleted);

        open();
        Assert.Equal((1, 1), (await first, await retry));
        await app.RunUntilIdleAsync();
        Assert.Equal(1, await app.GetStateAsync<int>(gate, "passed"));
    }

    [Fact]
    public async Task A_retried_ask_gets_the_failure_of_the_original_when_it_had_no_reply_or_was_dead_lettered()
    {
        await using var app = await StartAsync();
        var counter = Counter.At("no-reply").Untyped;
        for (var i = 0; i < 2; i++)
        {
            var noReply = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.AskAsync<int>(counter, new Increment(1), Wait, "quiet"));
            Assert.Contains("without calling context.Reply", noReply.Message, StringComparison.Ordinal);
        }

        var faultyId = $"keyed-{Guid.NewGuid():N}";
        var faulty = Faulty.At(faultyId).Untyped;
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
        }

        await app.RunUntilIdleAsync();
        Assert.Equal(1, await app.GetStateAsync<int>(counter, "count"));
        Assert.Equal(4, FailureGate.Next(faultyId)); // three attempts, all of the first ask

        var deadLetter = Assert.Single(app.DeadLetters, d => d.Target == faulty);
        Assert.Equal("boom", deadLetter.IdempotencyKey);
    }

    [Fact]
    public async Task An_ingress_event_retried_with_its_key_is_routed_once_and_a_different_event_with_it_sends_nothing()
    {
        await using var app = await StartAsync(modules: [new TestModule(), new SplitModule()]);
        var (a, b) = (Counter.At("split-a").Untyped, Counter.At("split-b").Untyped);

        // Two messages to one address (keys "e1" and "e1#2") and one to another.
        await app.Client.IngestAsync(SplitModule.Ingress, "split-a:1 split-a:1 split-b:1", "e1");
        await app.Client.IngestAsync(SplitModule.Ingress, "split-a:1 split-a:1 split-b:1", "e1");

        // Its first message would be new, its second conflicts: neither is sent.
        var conflict = await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await app.Client.IngestAsync(SplitModule.Ingress, "split-c:1 split-a:5", "e1"));
        Assert.Equal(a, conflict.Target);

        await app.RunUntilIdleAsync();
        Assert.Equal(2, await app.GetStateAsync<int>(a, "count"));
        Assert.Equal(1, await app.GetStateAsync<int>(b, "count"));
        Assert.DoesNotContain(app.Delivered, m => m.Target == Counter.At("split-c").Untyped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData(null)]
    public async Task An_invalid_key_is_refused(string? key)
    {
        await using var app = await StartAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await app.Client.SendAsync(Counter.At("x").Untyped, new Increment(1), key!));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await app.Client.SendAsync(Counter.At("x").Untyped, new Increment(1), new string('k', 257)));
    }

    private Task<Testing.TestApplication> StartAsync(Action<StatefulFunctionsOptions>? configure = null, IStatefulFunctionModule[]? modules = null) =>
        Testing.TestApplication.StartAsync(modules ?? [new TestModule()], configure, CreateStore());

    /// <summary>An in-process ingress whose router sends an increment to each counter named in the event (<c>id:amount ...</c>).</summary>
    private sealed class SplitModule : IStatefulFunctionModule
    {
        public static readonly IngressId<string> Ingress = new("tests/split");

        public void Configure(IModuleBuilder module) => module.AddRouter(Ingress, new SplitRouter());

        private sealed class SplitRouter : IRouter<string>
        {
            public void Route(string @event, IDownstream downstream)
            {
                foreach (var part in @event.Split(' '))
                {
                    var (id, amount) = (part.Split(':')[0], int.Parse(part.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
                    downstream.Forward(Counter.At(id), new Increment(amount));
                }
            }
        }
    }
}

/// <summary>The idempotency suite on in-memory storage.</summary>
public sealed class InMemoryIdempotencyTests : IdempotencyTests
{
    protected override Storage.IStateStore CreateStore() => new Storage.InMemoryStateStore();
}

/// <summary>The idempotency suite on durable storage: dedup records in the commit log and LiteDB checkpoints.</summary>
public sealed class LiteDbIdempotencyTests : IdempotencyTests
{
    protected override Storage.IStateStore CreateStore() => Track(new Storage.LiteDbStateStore(NewDatabasePath()));
}

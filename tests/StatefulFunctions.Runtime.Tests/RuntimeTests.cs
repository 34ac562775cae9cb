using StatefulFunctions.Runtime;
using StatefulFunctions.Runtime.Tests.Functions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// What a user relies on from the runtime: counts, order, swap-out, failures, asks and egress. Runs once per store
/// (see <see cref="InMemoryRuntimeTests"/> and <see cref="LiteDbRuntimeTests"/>).
/// </summary>
public abstract class RuntimeTests() : PerStoreTests("sf-runtime-")
{
    [Fact]
    public async Task Every_counter_of_ten_thousand_addresses_sees_exactly_its_ten_messages()
    {
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 4 }, CreateStore());
        await runtime.StartAsync();

        var sends = new List<Task>();
        for (var round = 0; round < 10; round++)
        {
            for (var id = 0; id < 10_000; id++)
            {
                sends.Add(runtime.Client.SendAsync(Counter.At($"c{id}").Untyped, new Increment(1)).AsTask());
            }
        }

        await Task.WhenAll(sends);

        await runtime.WhenIdleAsync();
        var wrong = new List<string>();
        for (var id = 0; id < 10_000; id++)
        {
            var count = await ReadAsync<int>(runtime, Counter.At($"c{id}").Untyped, "count");
            if (count != 10)
            {
                wrong.Add($"c{id}={count}");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task State_swapped_out_under_a_tiny_cache_bound_reads_back_equal()
    {
        await using var runtime = new StatefulFunctionsRuntime(
            [new TestModule()],
            new StatefulFunctionsOptions { ShardCount = 2, CacheBytes = 4 * 1024 },
            CreateStore());
        await runtime.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => runtime.Client.SendAsync(Person.At($"p{i}").Untyped, new SetProfile($"name {i}", i, new string('x', i))).AsTask()).ToList());

        await runtime.WhenIdleAsync();
        Assert.InRange(await runtime.CountWarmAsync(), 1, 100);

        // A second update of every instance loads it back from the store first.
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => runtime.Client.SendAsync(Person.At($"p{i}").Untyped, new SetProfile($"name {i}", i, new string('y', i))).AsTask()).ToList());

        await runtime.WhenIdleAsync();
        for (var i = 0; i < 500; i++)
        {
            var address = Person.At($"p{i}").Untyped;
            Assert.Equal(new Profile($"name {i}", i, new string('y', i)), await ReadAsync<Profile>(runtime, address, "profile"));
            Assert.Equal(2, await ReadAsync<int>(runtime, address, "updates"));
        }
    }

    [Fact]
    public async Task Messages_from_one_sender_to_one_address_keep_their_order()
    {
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 4 }, CreateStore());
        await runtime.StartAsync();
        var target = Counter.At("ordered").Untyped;

        foreach (var sender in new[] { "s1", "s2", "s3" })
        {
            await runtime.Client.SendAsync(Sender.At(sender).Untyped, new Burst("ordered", 2_000));
        }

        // Sent without waiting for each acknowledgement: the client's order is the order of the calls.
        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => runtime.Client.SendAsync(target, new Sequenced("client", i)).AsTask()).ToList());

        await runtime.WhenIdleAsync();
        var sequence = await ReadAsync<List<string>>(runtime, target, "sequence");
        Assert.NotNull(sequence);
        Assert.Equal(8_000, sequence.Count);
        foreach (var sender in new[] { "s1", "s2", "s3", "client" })
        {
            var numbers = sequence.Where(s => s.StartsWith(sender + ":", StringComparison.Ordinal))
                .Select(s => int.Parse(s[(sender.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 2_000), numbers);
        }
    }

    [Fact]
    public async Task Delayed_messages_fire_in_time_order_on_the_manual_clock_and_a_cancelled_one_never_fires()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var timer = Alarm.At("t").Untyped;
        await app.Client.SendAsync(timer, new Schedule("c", 30, null));
        await app.Client.SendAsync(timer, new Schedule("a", 10, null));
        await app.Client.SendAsync(timer, new Schedule("d", 25, "cancel-me"));
        await app.Client.SendAsync(timer, new Schedule("b", 20, "replace-me"));
        await app.Client.SendAsync(timer, new Schedule("b2", 21, "replace-me"));
        await app.Client.SendAsync(timer, new Cancel("cancel-me"));
        await app.RunUntilIdleAsync();

        Assert.Equal(["a", "b2", "c"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));

        await app.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Empty(await app.GetStateAsync<List<string>>(timer, "fired") ?? []);

        await app.AdvanceAsync(TimeSpan.FromSeconds(51));
        Assert.Equal(["a@00:00:10", "b2@00:00:21", "c@00:00:30"], await app.GetStateAsync<List<string>>(timer, "fired"));
        Assert.Empty(app.PendingTimers);
    }

    [Fact]
    public async Task Delayed_sends_and_cancellations_of_one_call_apply_in_the_order_the_handler_made_them()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var timer = Alarm.At("order").Untyped;
        await app.Client.SendAsync(timer, new Schedule("first", 10, "t1"));
        await app.Client.SendAsync(timer, new CancelThenSchedule("pushed-back", 20, "t1"));
        await app.Client.SendAsync(timer, new ScheduleThenCancel("never", 5, "t2"));
        await app.Client.SendAsync(timer, new ScheduleTwice("replaced", "replacement", 30, "t3"));
        await app.RunUntilIdleAsync();

        Assert.Equal(["pushed-back", "replacement"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));
        await app.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["pushed-back@00:00:20", "replacement@00:00:30"], await app.GetStateAsync<List<string>>(timer, "fired"));
    }

    [Theory]
    [InlineData(1)] // swapped out after every message
    [InlineData(256L << 20)] // warm throughout: in memory, the committed stamps are overwritten in place
    public async Task Writing_a_partial_property_again_with_its_value_renews_its_time_to_live_and_a_field_does_not(long cacheBytes)
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.CacheBytes = cacheBytes, CreateStore());
        var badge = Badge.At("b").Untyped;
        await app.Client.SendAsync(badge, new Hand("ann"));
        await app.AdvanceAsync(TimeSpan.FromSeconds(30));
        await app.Client.SendAsync(badge, new Hand("ann"));
        await app.AdvanceAsync(TimeSpan.FromSeconds(40));

        // At 70 s: the property was written at 30 s; the field's value never changed, so it counts from 0 s.
        Assert.Equal("ann", await app.GetStateAsync<string>(badge, "holder"));
        Assert.Null(await app.GetStateAsync<string>(badge, "holder_field"));
        await app.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Equal("ann", await app.GetStateAsync<string>(badge, "holder"));
        await app.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Null(await app.GetStateAsync<string>(badge, "holder"));
    }

    [Fact]
    public async Task A_throwing_handler_leaves_no_trace_of_its_state_changes_sends_timers_egress_or_reply()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var faulty = Faulty.At($"always-{Guid.NewGuid():N}").Untyped;

        var ask = app.Client.AskAsync<string>(faulty, new Boom(Attempts: int.MaxValue), TimeSpan.FromMinutes(1));
        var failure = await Assert.ThrowsAsync<DeadLetterException>(() => ask);
        await app.RunUntilIdleAsync();

        Assert.Contains("boom 1", failure.InnerException!.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.GetStateAsync<int>(faulty, "tries"));
        Assert.Equal(0, await app.GetStateAsync<int>(faulty, "value"));
        Assert.DoesNotContain(app.Delivered, d => d.Target == Counter.At("victim").Untyped);
        Assert.Empty(app.PendingTimers);
        Assert.Empty(app.Emitted(TestModule.Counts));
        var deadLetter = Assert.Single(app.DeadLetters);
        Assert.Equal((faulty, 3), (deadLetter.Target, deadLetter.Attempts));

        // The instance still works after the poison message.
        await app.Client.SendAsync(faulty, new Increment(5));
        await app.RunUntilIdleAsync();
        Assert.Equal(5, await app.GetStateAsync<int>(faulty, "value"));
    }

    [Fact]
    public async Task A_handler_that_fails_once_is_retried_and_its_effects_happen_exactly_once()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var faulty = Faulty.At($"once-{Guid.NewGuid():N}").Untyped;

        Assert.Equal("should not be seen", await app.Client.AskAsync<string>(faulty, new Boom(Attempts: 1), TimeSpan.FromMinutes(1)));
        await app.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(1, await app.GetStateAsync<int>(faulty, "tries"));
        Assert.Equal(2, await app.GetStateAsync<int>(Counter.At("victim").Untyped, "count"));
        Assert.Equal(["faulty", "victim=1", "victim=2"], app.Emitted(TestModule.Counts));
        Assert.Empty(app.DeadLetters);
    }

    [Fact]
    public async Task A_dead_letter_can_be_inspected_and_redriven_once_the_fault_is_gone()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var faulty = Faulty.At($"redrive-{Guid.NewGuid():N}").Untyped;

        // Fails on its first three attempts: the whole retry budget.
        await app.Client.SendAsync(faulty, new Boom(Attempts: 3));
        await app.RunUntilIdleAsync();
        var deadLetter = Assert.Single(app.DeadLetters);
        Assert.Equal((faulty, 3, new Boom(3)), (deadLetter.Target, deadLetter.Attempts, (Boom)deadLetter.Message));
        Assert.Contains("boom 1", deadLetter.Exception, StringComparison.Ordinal);

        await app.Client.RedriveDeadLetterAsync(deadLetter.Id);
        await app.RunUntilIdleAsync();

        Assert.Empty(app.DeadLetters);
        Assert.Equal(1, await app.GetStateAsync<int>(faulty, "tries"));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await app.Client.RedriveDeadLetterAsync(deadLetter.Id));
    }

    [Fact]
    public async Task Egress_records_read_with_ids_stay_until_acknowledged()
    {
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }, CreateStore());
        await runtime.StartAsync();
        await runtime.Client.SendAsync(Counter.At("acked").Untyped, new Increment(1));
        await runtime.Client.SendAsync(Counter.At("acked").Untyped, new Increment(1));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var records = new List<EgressRecord<string>>();
        await foreach (var record in runtime.Client.ReadEgressRecordsAsync(TestModule.Counts, timeout.Token))
        {
            records.Add(record);
            await runtime.Client.AcknowledgeEgressAsync(TestModule.Counts, record.Id);
            if (records.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["acked=1", "acked=2"], records.Select(r => r.Value));
        Assert.True(records[0].Id < records[1].Id);
    }

    [Theory]
    [InlineData(256L * 1024 * 1024)]
    [InlineData(1L)] // every instance swapped out after each message: expiry applies to cold state too
    public async Task Persisted_members_expire_after_their_time_to_live_on_the_manual_clock(long cacheBytes)
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.CacheBytes = cacheBytes, CreateStore());
        var session = Session.At("s").Untyped;

        await app.Client.SendAsync(session, new Login("abc"));
        await app.AdvanceAsync(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal("abc", await app.GetStateAsync<string>(session, "token"));
        await app.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Null(await app.GetStateAsync<string>(session, "token"));

        // Each visit within an hour of the last call keeps the count alive; a gap of more than an hour resets it.
        for (var i = 0; i < 3; i++)
        {
            await app.Client.SendAsync(session, new Visit());
            await app.AdvanceAsync(TimeSpan.FromMinutes(59));
        }

        Assert.Equal(3, await app.GetStateAsync<int>(session, "visits"));
        await app.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await app.GetStateAsync<int>(session, "visits"));
        await app.Client.SendAsync(session, new Visit());
        await app.RunUntilIdleAsync();
        Assert.Equal(1, await app.GetStateAsync<int>(session, "visits"));

        // A member without a time to live never expires, and the expired token is still gone after the calls.
        Assert.Equal(1, await app.GetStateAsync<int>(session, "logins"));
        Assert.Null(await app.GetStateAsync<string>(session, "token"));
    }

    [Fact]
    public async Task SendAsync_waits_for_room_once_the_queue_bound_is_reached()
    {
        var id = Guid.NewGuid().ToString("N");
        var open = Gate.Close(id);
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.MaxQueuedMessages = 4, CreateStore());
        var gate = Gate.At(id).Untyped;
        for (var i = 0; i < 4; i++)
        {
            await app.Client.SendAsync(gate, new Hold());
        }

        // The first message is held in its handler and three wait behind it: the bound is reached.
        var fifth = app.Client.SendAsync(gate, new Hold()).AsTask();
        await Task.Delay(200);
        Assert.False(fifth.IsCompleted, "SendAsync returned although the queue was full.");

        open();
        await fifth;
        await app.RunUntilIdleAsync();
        Assert.Equal(5, await app.GetStateAsync<int>(gate, "passed"));
    }

    [Fact]
    public async Task A_sender_waiting_for_room_is_let_go_when_the_runtime_stops()
    {
        var id = Guid.NewGuid().ToString("N");
        var open = Gate.Close(id);
        var gate = Gate.At(id).Untyped;
        var options = new StatefulFunctionsOptions { MaxQueuedMessages = 4, StopTimeout = TimeSpan.FromSeconds(1) };
        var runtime = new StatefulFunctionsRuntime([new TestModule()], options, CreateStore());
        try
        {
            await runtime.StartAsync();
            for (var i = 0; i < 4; i++)
            {
                await runtime.Client.SendAsync(gate, new Hold());
            }

            var fifth = runtime.Client.SendAsync(gate, new Hold()).AsTask();
            await Task.Delay(100);
            Assert.False(fifth.IsCompleted, "SendAsync returned although the queue was full.");

            // The first message never leaves its handler, so the queue never drains: stopping must not leave the
            // sender waiting for room forever. (Its message is accepted like any send during the stop.)
            var stopping = runtime.StopAsync();
            var finished = await Task.WhenAny(fifth, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == fifth, "The sender still waits for room after the runtime began to stop.");
            await fifth;
            await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            open();
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_a_shard_finished_before_a_handler_waits_no_longer_count_against_the_bound()
    {
        // One shard: a held message, then a quick one and a second held one queue behind it. Once the first gate
        // opens, the shard finishes two messages and waits in the third handler; only that one is running, so
        // two more sends fit under a bound of four.
        var first = Guid.NewGuid().ToString("N");
        var second = Guid.NewGuid().ToString("N");
        var openFirst = Gate.Close(first);
        var openSecond = Gate.Close(second);
        await using var app = await Testing.TestApplication.StartAsync(
            [new TestModule()], o => { o.MaxQueuedMessages = 4; o.ShardCount = 1; }, CreateStore());
        try
        {
            await app.Client.SendAsync(Gate.At(first).Untyped, new Hold());
            await app.Client.SendAsync(Counter.At("quick").Untyped, new Increment(1));
            await app.Client.SendAsync(Gate.At(second).Untyped, new Hold());
            openFirst();
            await Gate.Reached(second).WaitAsync(TimeSpan.FromSeconds(60));

            for (var i = 1; i <= 2; i++)
            {
                var sent = app.Client.SendAsync(Counter.At("quick").Untyped, new Increment(1)).AsTask();
                var finished = await Task.WhenAny(sent, Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(finished == sent, $"Send {i} of 2 waited for room with one message running, {i - 1} queued and a bound of 4.");
                await sent;
            }

            openSecond();
            await app.RunUntilIdleAsync();
            Assert.Equal(3, await app.GetStateAsync<int>(Counter.At("quick").Untyped, "count"));
        }
        finally
        {
            openFirst();
            openSecond();
        }
    }

    [Fact]
    public async Task An_order_in_one_assembly_reserves_stock_in_another_and_gets_the_answer_back()
    {
        await using var app = await Testing.TestApplication.StartAsync([new Warehouse.WarehouseModule(), new Shop.ShopModule()], configure: null, CreateStore());
        await app.Client.SendAsync(Warehouse.Stock.At("apple").Untyped, new Warehouse.Restock(10));
        await app.Client.SendAsync(Shop.Order.At("o1").Untyped, new Shop.PlaceOrder("apple", 3));
        await app.Client.SendAsync(Shop.Order.At("o2").Untyped, new Shop.PlaceOrder("apple", 9));
        await app.RunUntilIdleAsync();

        Assert.Equal(0, await app.GetStateAsync<int>(Warehouse.Stock.At("apple").Untyped, "on_hand"));
        Assert.Equal(3, await app.GetStateAsync<int>(Shop.Order.At("o1").Untyped, "reserved"));
        Assert.Equal(7, await app.GetStateAsync<int>(Shop.Order.At("o2").Untyped, "reserved"));
        Assert.Equal(["o1:apple:3", "o2:apple:7"], app.Emitted(Shop.ShopModule.Confirmations));
        Assert.Contains(app.Delivered, d => d.Target == Shop.Order.At("o1").Untyped && d.Caller == Warehouse.Stock.At("apple").Untyped);
    }

    [Fact]
    public async Task AskAsync_gets_the_reply_of_the_handler()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var counter = Counter.At("asked").Untyped;
        for (var i = 0; i < 5; i++)
        {
            await app.Client.SendAsync(counter, new Increment(2));
        }

        Assert.Equal(10, await app.Client.AskAsync<int>(counter, new GetCount(), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AskAsync_of_a_handler_that_does_not_reply_fails_with_a_clear_error()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => app.Client.AskAsync<int>(Counter.At("mute").Untyped, new Increment(1), TimeSpan.FromSeconds(30)));
        Assert.Contains("without calling context.Reply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Egress_records_are_read_back_by_the_client_in_order()
    {
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }, CreateStore());
        await runtime.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await runtime.Client.SendAsync(Counter.At("e").Untyped, new Increment(1));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var records = new List<string>();
        await foreach (var record in runtime.Client.ReadEgressAsync(TestModule.Counts, timeout.Token))
        {
            records.Add(record);
            if (records.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["e=1", "e=2", "e=3"], records);
    }

    [Fact]
    public async Task Sending_what_no_function_handles_fails_at_the_call_with_a_clear_error()
    {
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, CreateStore());

        var unknownType = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await app.Client.SendAsync(new Address("tests/nobody", "x"), new Increment(1)));
        Assert.Contains("No function type 'tests/nobody' is registered", unknownType.Message, StringComparison.Ordinal);

        var unhandled = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await app.Client.SendAsync(Alarm.At("x").Untyped, new Increment(1)));
        Assert.Contains("does not handle messages of type", unhandled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_work_count_stays_exact_through_cancelled_sends_timed_out_asks_and_dead_letters()
    {
        var options = new StatefulFunctionsOptions { ShardCount = 2, MaxQueuedMessages = 4, RetryBackoff = static _ => TimeSpan.Zero };
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], options, CreateStore());
        await runtime.StartAsync();
        var id = $"count-{Guid.NewGuid():N}";
        var open = Gate.Close(id);
        for (var i = 0; i < 4; i++)
        {
            await runtime.Client.SendAsync(Gate.At(id).Untyped, new Hold());
        }

        // The queues are full: a send waits for room, and gives up when cancelled.
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.Client.SendAsync(Counter.At(id).Untyped, new Increment(1), cancel.Token).AsTask());
        }

        open();
        await runtime.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, runtime.PendingCount);

        // An ask held past its timeout is still handled, and counted done once.
        var hold = Gate.Close(id);
        await Assert.ThrowsAsync<AskTimeoutException>(() => runtime.Client.AskAsync<int>(Gate.At(id).Untyped, new HoldAndCount(), TimeSpan.FromMilliseconds(50)));
        hold();

        // A message that fails on every attempt is dead-lettered, and counted done once.
        await runtime.Client.SendAsync(Faulty.At(id).Untyped, new Boom(Attempts: 10));
        await runtime.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, runtime.PendingCount);
        Assert.Single(runtime.GetDeadLetters(), d => d.Target == Faulty.At(id).Untyped);
        Assert.Equal(5, await ReadAsync<int>(runtime, Gate.At(id).Untyped, "passed"));

        await runtime.Client.SendAsync(Counter.At(id).Untyped, new Increment(2));
        await runtime.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((0L, 2), (runtime.PendingCount, await ReadAsync<int>(runtime, Counter.At(id).Untyped, "count")));
    }

    private static async Task<T?> ReadAsync<T>(StatefulFunctionsRuntime runtime, Address address, string stateName)
    {
        var state = await runtime.ReadStateAsync(address);
        return state is not null && state.TryGetValue(stateName, out var bytes) ? MemoryPack.MemoryPackSerializer.Deserialize<T>(bytes) : default;
    }
}

/// <summary>The runtime suite on in-memory storage.</summary>
public sealed class InMemoryRuntimeTests : RuntimeTests
{
    protected override Storage.IStateStore CreateStore() => new Storage.InMemoryStateStore();
}

/// <summary>The runtime suite on durable storage: LiteDB checkpoints and the commit log, on real files.</summary>
public sealed class LiteDbRuntimeTests : RuntimeTests
{
    protected override Storage.IStateStore CreateStore() => Track(new Storage.LiteDbStateStore(NewDatabasePath()));

    [Fact]
    public async Task A_send_acknowledged_while_the_commit_thread_is_slow_leaves_room_for_the_next_below_the_bound()
    {
        // The commit thread pauses after releasing each unit, before it counts the unit done: a sender acknowledged
        // then must already see its message counted once, not twice, or the fourth send of four waits for room
        // (and, with the first message held in its handler, waits forever).
        var id = Guid.NewGuid().ToString("N");
        var open = Gate.Close(id);
        var gate = Gate.At(id).Untyped;
        var options = new StatefulFunctionsOptions { MaxQueuedMessages = 4 };
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], options, CreateStore())
        {
            Faults = new StorageFaults { AfterRelease = () => Thread.Sleep(50) },
        };
        await runtime.StartAsync();
        try
        {
            for (var i = 1; i <= 4; i++)
            {
                var sent = runtime.Client.SendAsync(gate, new Hold()).AsTask();
                var finished = await Task.WhenAny(sent, Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(finished == sent, $"Send {i} of 4 waited for room with {i - 1} messages queued and a bound of 4.");
                await sent;
            }
        }
        finally
        {
            open();
        }

        await runtime.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var state = await runtime.ReadStateAsync(gate);
        Assert.Equal(4, MemoryPack.MemoryPackSerializer.Deserialize<int>(state!["passed"]));
    }
}

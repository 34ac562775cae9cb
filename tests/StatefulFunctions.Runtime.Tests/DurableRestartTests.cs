using StatefulFunctions.Runtime;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>What survives a stop and restart on LiteDB: state, pending timers, dead letters, unacknowledged egress.</summary>
public sealed class DurableRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-restart-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task Dead_letters_survive_a_restart_and_can_be_redriven_after_it()
    {
        var faulty = Faulty.At($"durable-{Guid.NewGuid():N}").Untyped;
        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(faulty, new Boom(Attempts: 3));
            await app.RunUntilIdleAsync();
            Assert.Single(app.DeadLetters);
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            var deadLetter = Assert.Single(app.DeadLetters);
            Assert.Equal((faulty, 3, new Boom(3)), (deadLetter.Target, deadLetter.Attempts, (Boom)deadLetter.Message));
            Assert.Contains("boom 1", deadLetter.Exception, StringComparison.Ordinal);
            await app.Client.RedriveDeadLetterAsync(deadLetter.Id);
            await app.RunUntilIdleAsync();
            Assert.Equal(1, await app.GetStateAsync<int>(faulty, "tries"));
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Empty(app.DeadLetters);
            Assert.Equal(1, await app.GetStateAsync<int>(faulty, "tries"));
        }
    }

    [Fact]
    public async Task A_dead_letter_keeps_its_failure_time_to_the_tick_across_a_restart()
    {
        var faulty = Faulty.At("ticks").Untyped;
        DateTimeOffset before;
        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            app.Clock.Advance(TimeSpan.FromTicks(5_686_720)); // 0.5686720 s: not a whole millisecond
            await app.Client.SendAsync(faulty, new Boom(Attempts: 3));
            await app.RunUntilIdleAsync();
            before = Assert.Single(app.DeadLetters).FailedAt;
            Assert.NotEqual(0, before.UtcTicks % TimeSpan.TicksPerMillisecond);
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Equal(before, Assert.Single(app.DeadLetters).FailedAt);
        }
    }

    [Fact]
    public void A_dead_letter_stored_without_ticks_reads_its_time_to_the_millisecond()
    {
        var message = new LoggedMessage(7, "tests/faulty", "old", null, null, "boom", [1], 0, null);
        var old = new LoggedDeadLetterWithoutTicks(message, "boom 3", 3, 946_684_800_568);

        var read = MemoryPack.MemoryPackSerializer.Deserialize<LoggedDeadLetter>(MemoryPack.MemoryPackSerializer.Serialize(old));

        Assert.NotNull(read);
        Assert.Equal((0L, DateTimeOffset.FromUnixTimeMilliseconds(946_684_800_568)), (read.FailedAtTicks, read.FailedAt));
    }

    [Fact]
    public async Task Only_unacknowledged_egress_records_are_read_again_after_a_restart()
    {
        using (var store = new LiteDbStateStore(DbPath))
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store))
        {
            await runtime.StartAsync();
            for (var i = 0; i < 5; i++)
            {
                await runtime.Client.SendAsync(Counter.At("e").Untyped, new Increment(1));
            }

            var read = await ReadAsync(runtime, 5);
            foreach (var record in read.Take(3))
            {
                await runtime.Client.AcknowledgeEgressAsync(TestModule.Counts, record.Id);
            }
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store))
        {
            await runtime.StartAsync();
            var again = await ReadAsync(runtime, 2);
            Assert.Equal(["e=4", "e=5"], again.Select(r => r.Value));
        }
    }

    [Fact]
    public async Task A_pending_delayed_message_fires_after_a_restart_and_a_cancelled_one_does_not()
    {
        var alarm = Alarm.At("restart").Untyped;
        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(alarm, new Schedule("kept", 60, null));
            await app.Client.SendAsync(alarm, new Schedule("cancelled", 30, "c"));
            await app.Client.SendAsync(alarm, new Cancel("c"));
            await app.RunUntilIdleAsync();
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Equal(["kept"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));
            await app.AdvanceAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(["kept@00:01:00"], await app.GetStateAsync<List<string>>(alarm, "fired"));
        }
    }

    [Fact]
    public async Task Delayed_sends_and_cancellations_of_one_call_are_logged_in_call_order_and_recovered_so()
    {
        var alarm = Alarm.At("order-restart").Untyped;
        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(alarm, new Schedule("first", 10, "t1"));
            await app.Client.SendAsync(alarm, new CancelThenSchedule("pushed-back", 20, "t1"));
            await app.Client.SendAsync(alarm, new ScheduleThenCancel("never", 5, "t2"));
            await app.Client.SendAsync(alarm, new ScheduleTwice("replaced", "replacement", 30, "t3"));
            await app.RunUntilIdleAsync();
        }

        using (var store = new LiteDbStateStore(DbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Equal(["pushed-back", "replacement"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));

            // The recovered token still names its message: cancelling it after the restart cancels it.
            await app.Client.SendAsync(alarm, new Cancel("t3"));
            await app.AdvanceAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(["pushed-back@00:00:20"], await app.GetStateAsync<List<string>>(alarm, "fired"));
        }
    }

    [Fact]
    public async Task A_test_application_started_durable_on_a_file_reads_after_a_restart_what_it_wrote_before()
    {
        var counter = Counter.At("durable-start").Untyped;
        var alarm = Alarm.At("durable-start").Untyped;
        IStateStore opened;
        await using (var app = await Testing.TestApplication.StartDurableAsync(DbPath, [new TestModule()]))
        {
            opened = app.Store;
            await app.Client.SendAsync(counter, new Increment(2));
            await app.Client.SendAsync(counter, new Increment(3));
            await app.Client.SendAsync(alarm, new Schedule("kept", 60, null));
            await app.RunUntilIdleAsync();
            Assert.Equal(5, await app.GetStateAsync<int>(counter, "count"));
        }

        // It wrote to the file it was given, with the commit log beside it, and closed the store when it was disposed.
        Assert.True(File.Exists(DbPath));
        Assert.True(Directory.Exists(DbPath + ".log"));
        Assert.Equal(DbPath, Assert.IsType<LiteDbStateStore>(opened).Path);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => opened.LoadAsync(counter, CancellationToken.None).AsTask());

        await using (var app = await Testing.TestApplication.StartDurableAsync(DbPath, [new TestModule()], options => options.ShardCount = 2))
        {
            Assert.Equal(2, app.Runtime.Options.ShardCount);
            Assert.Equal(5, await app.GetStateAsync<int>(counter, "count"));
            Assert.Equal(["kept"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));
            await app.Client.SendAsync(counter, new Increment(1));
            await app.AdvanceAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(["kept@00:01:00"], await app.GetStateAsync<List<string>>(alarm, "fired"));
        }

        // A third application opens the file and the log again and finds what the second left.
        await using (var app = await Testing.TestApplication.StartDurableAsync(DbPath, [new TestModule()]))
        {
            Assert.Equal(6, await app.GetStateAsync<int>(counter, "count"));
            Assert.Empty(app.PendingTimers);
        }
    }

    [Fact]
    public async Task A_durable_test_application_that_fails_to_recover_closes_its_files_so_that_the_next_one_opens_them()
    {
        var alarm = Alarm.At("failed-start").Untyped;
        await using (var app = await Testing.TestApplication.StartDurableAsync(DbPath, [new TestModule()]))
        {
            await app.Client.SendAsync(alarm, new Schedule("kept", 60, null));
            await app.RunUntilIdleAsync();
        }

        // The pending tick is of a message type no function of these modules handles: recovery fails, after the
        // commit log was opened (and locked).
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Testing.TestApplication.StartDurableAsync(DbPath, [new Warehouse.WarehouseModule()]));
        Assert.Contains("no registered function handles", error.Message, StringComparison.Ordinal);

        await using (var app = await Testing.TestApplication.StartDurableAsync(DbPath, [new TestModule()]))
        {
            Assert.Equal(["kept"], app.PendingTimers.Select(t => ((Tick)t.Message).Tag));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<List<EgressRecord<string>>> ReadAsync(StatefulFunctionsRuntime runtime, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var records = new List<EgressRecord<string>>();
        await foreach (var record in runtime.Client.ReadEgressRecordsAsync(TestModule.Counts, timeout.Token))
        {
            records.Add(record);
            if (records.Count == count)
            {
                break;
            }
        }

        return records;
    }
}

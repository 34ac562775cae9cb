using StatefulFunctions.Runtime;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// The durable runtime after its commit log or checkpoint store fails (injected through the storage test seam): the
/// work count stays exact, every refusal names the failure, waiting callers are told, stopping always completes, and a
/// restart on the same files recovers everything acknowledged.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    /// <summary>A guard against hangs only: every wait here is expected to end in well under a second.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("sf-failure-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task After_an_append_failure_work_is_refused_naming_it_waiters_are_told_stop_completes_and_a_restart_loses_nothing_acknowledged()
    {
        var failing = false;
        var counter = Counter.At("a").Untyped;
        var gate = Gate.At("append-failure").Untyped;
        var open = Gate.Close("append-failure");
        using (var store = new LiteDbStateStore(DbPath))
        {
            var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store)
            {
                Faults = new StorageFaults { BeforeAppend = () => { if (Volatile.Read(ref failing)) { throw new IOException("injected: the disk is full"); } } },
            };
            var heldAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            runtime.Delivering += envelope =>
            {
                if (envelope.Message is HoldAndCount)
                {
                    heldAccepted.TrySetResult();
                }
            };
            await runtime.StartAsync();
            for (var i = 0; i < 20; i++)
            {
                await runtime.Client.SendAsync(counter, new Increment(1));
            }

            // An ask accepted (durable) and held in its handler while the storage fails: it can never be answered here.
            var held = runtime.Client.AskAsync<int>(gate, new HoldAndCount(), HangGuard);
            await heldAccepted.Task.WaitAsync(HangGuard);

            Volatile.Write(ref failing, true);
            var first = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.Client.SendAsync(counter, new Increment(1)).AsTask());
            AssertNamesTheFailure(first);
            AssertNamesTheFailure(await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.Client.SendAsync(counter, new Increment(1)).AsTask()));
            AssertNamesTheFailure(await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.Client.AskAsync<int>(counter, new GetCount(), HangGuard)));
            AssertNamesTheFailure(await Assert.ThrowsAsync<InvalidOperationException>(() => held.WaitAsync(HangGuard)));
            Assert.False(runtime.IsAcceptingWork);
            Assert.IsType<IOException>(runtime.StorageFailure);

            // The egress reader gets what was published, then the failure.
            var read = 0;
            var readerFailure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var _ in runtime.Client.ReadEgressRecordsAsync(TestModule.Counts).WithCancellation(new CancellationTokenSource(HangGuard).Token))
                {
                    read++;
                }
            });
            AssertNamesTheFailure(readerFailure);
            Assert.Equal(20, read);

            // The held handler returns; its commit is refused, and the shard's loop goes on and counts it done.
            open();
            await IdleThenStopAsync(runtime);
        }

        // The held message was accepted before the failure: it is handled after the restart.
        var recovered = await RestartAndReadAsync((counter, "count"), (gate, "passed"));
        Assert.Equal([20, 1], recovered);
    }

    [Fact]
    public async Task After_a_checkpoint_failure_the_work_count_is_exact_and_a_restart_loses_nothing_acknowledged()
    {
        var failing = false;
        var checkpoints = 0;
        var counter = Counter.At("c").Untyped;
        var acknowledged = 0;
        InvalidOperationException? refusal = null;
        using (var store = new LiteDbStateStore(DbPath))
        {
            var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store)
            {
                Faults = new StorageFaults
                {
                    CheckpointInterval = TimeSpan.Zero,
                    BeforeCheckpoint = () =>
                    {
                        Interlocked.Increment(ref checkpoints);
                        if (Volatile.Read(ref failing))
                        {
                            throw new IOException("injected: the checkpoint store cannot be written");
                        }
                    },
                },
            };
            await runtime.StartAsync();
            while (Volatile.Read(ref checkpoints) < 3)
            {
                await runtime.Client.SendAsync(counter, new Increment(1));
                acknowledged++;
            }

            // The failure surfaces on the commit thread after a batch was committed and released: that batch must
            // not be counted done a second time (the work count went negative, and stopping waited forever).
            Volatile.Write(ref failing, true);
            for (var i = 0; i < 10_000 && refusal is null; i++)
            {
                try
                {
                    await runtime.Client.SendAsync(counter, new Increment(1)).AsTask().WaitAsync(HangGuard);
                    acknowledged++;
                }
                catch (InvalidOperationException exception)
                {
                    refusal = exception;
                }
            }

            Assert.NotNull(refusal);
            Assert.Contains("injected: the checkpoint store cannot be written", refusal.Message, StringComparison.Ordinal);
            await IdleThenStopAsync(runtime);
        }

        var recovered = await RestartAndReadAsync((counter, "count"));
        Assert.Equal([acknowledged], recovered);
    }

    [Fact]
    public async Task One_failure_inside_a_checkpoint_reopens_the_file_and_writes_it_again_and_the_runtime_goes_on()
    {
        var failures = 0;
        var checkpoints = 0;
        var counter = Counter.At("once").Untyped;
        var acknowledged = 0;
        using (var store = new LiteDbStateStore(DbPath))
        {
            var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store)
            {
                Faults = new StorageFaults
                {
                    CheckpointInterval = TimeSpan.Zero,
                    BeforeCheckpoint = () =>
                    {
                        // The first checkpoint meets the accident this stands for (LiteDB's "must have no pages in use
                        // when call Clear() cache"); the attempt after the reopen succeeds.
                        if (Interlocked.Increment(ref checkpoints) == 1 && Interlocked.Increment(ref failures) == 1)
                        {
                            throw new LiteDB.LiteException(0, "injected: must have no pages in use when call Clear() cache");
                        }
                    },
                },
            };
            await runtime.StartAsync();
            for (var i = 0; i < 10_000 && (Volatile.Read(ref checkpoints) < 4 || store.CheckpointLsn == 0); i++)
            {
                await runtime.Client.SendAsync(counter, new Increment(1)).AsTask().WaitAsync(HangGuard);
                acknowledged++;
            }

            Assert.Equal(1, failures);
            Assert.True(store.CheckpointLsn > 0, "no checkpoint was written after the reopen");
            Assert.True(runtime.IsAcceptingWork);
            Assert.Null(runtime.StorageFailure);
            Assert.Equal(acknowledged, await runtime.Client.AskAsync<int>(counter, new GetCount(), HangGuard));
            await IdleThenStopAsync(runtime);
        }

        var recovered = await RestartAndReadAsync((counter, "count"));
        Assert.Equal([acknowledged], recovered);
    }

    [Fact]
    public async Task Stop_completes_within_its_bound_when_a_handler_never_returns()
    {
        var open = Gate.Close("stuck");
        var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { StopTimeout = TimeSpan.FromMilliseconds(200) });
        await runtime.StartAsync();
        await runtime.Client.SendAsync(Gate.At("stuck").Untyped, new Hold());
        await WaitUntilAsync(() => runtime.PendingCount == 1);

        await runtime.StopAsync().WaitAsync(HangGuard);
        open();
    }

    [Fact]
    public void A_stop_timeout_out_of_range_is_refused_naming_the_option()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { StopTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("StopTimeout", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The runtime becomes idle with an exact work count of 0, and stops.</summary>
    private static async Task IdleThenStopAsync(StatefulFunctionsRuntime runtime)
    {
        await runtime.WhenIdleAsync().WaitAsync(HangGuard);
        Assert.Equal(0, runtime.PendingCount);
        await runtime.DisposeAsync().AsTask().WaitAsync(HangGuard);
    }

    /// <summary>Starts again on the same files, without faults, and reads int members once what was recovered is handled.</summary>
    private async Task<int[]> RestartAndReadAsync(params (Address Address, string State)[] members)
    {
        using var store = new LiteDbStateStore(DbPath);
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store);
        await app.RunUntilIdleAsync();
        var values = new int[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            values[i] = await app.GetStateAsync<int>(members[i].Address, members[i].State);
        }

        return values;
    }

    [Fact]
    public async Task A_sender_waiting_for_room_gets_the_refusal_when_the_storage_fails()
    {
        var failing = false;
        using var store = new LiteDbStateStore(DbPath);
        var options = new StatefulFunctionsOptions { MaxQueuedMessages = 4, ShardCount = 2, StopTimeout = TimeSpan.FromSeconds(1) };
        var runtime = new StatefulFunctionsRuntime([new TestModule()], options, store)
        {
            Faults = new StorageFaults { BeforeAppend = () => { if (Volatile.Read(ref failing)) { throw new IOException("injected: the disk is full"); } } },
        };

        // Two gates on different shards: one stays closed (its queue never drains), the other's handler commits once
        // the storage fails.
        var held = Gate.At("room-held").Untyped;
        var other = Enumerable.Range(0, 100).Select(i => Gate.At($"room-other-{i}").Untyped)
            .First(address => runtime.ShardIndexOf(address) != runtime.ShardIndexOf(held));
        var openHeld = Gate.Close(held.Id);
        var openOther = Gate.Close(other.Id);
        try
        {
            await runtime.StartAsync();
            await runtime.Client.SendAsync(other, new Hold());
            for (var i = 0; i < 3; i++)
            {
                await runtime.Client.SendAsync(held, new Hold());
            }

            var waiting = runtime.Client.SendAsync(held, new Hold()).AsTask();
            await Task.Delay(100);
            Assert.False(waiting.IsCompleted, "SendAsync returned although the queue was full.");

            Volatile.Write(ref failing, true);
            openOther();
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.WaitAsync(HangGuard));
            AssertNamesTheFailure(refused);
        }
        finally
        {
            openHeld();
            openOther();
            await runtime.DisposeAsync();
        }
    }

    private static void AssertNamesTheFailure(InvalidOperationException exception)
    {
        Assert.Contains("durable storage failed (IOException: injected: the disk is full)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("restart", exception.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(exception.InnerException);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!condition())
        {
            await Task.Delay(5, guard.Token);
        }
    }
}

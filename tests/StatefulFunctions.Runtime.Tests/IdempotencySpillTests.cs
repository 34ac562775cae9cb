using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Durable idempotency keys past <see cref="StatefulFunctionsOptions.IdempotencyKeysInMemory"/>, on a real LiteDB
/// file: settled records leave memory once a checkpoint holds them, and a retry finds its record in the store, in the
/// same process and after a restart.
/// </summary>
public sealed class IdempotencySpillTests : IDisposable
{
    private const int Limit = 10;
    private const int Keys = 120;
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-idempotency-spill-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task Past_the_limit_settled_records_leave_memory_and_retries_get_the_original_reply_from_the_store()
    {
        await RunAsync(async (runtime, client) =>
        {
            for (var i = 0; i < Keys; i++)
            {
                Assert.Equal(i + 1, await client.AskAsync<int>(Counter.At($"c{i}").Untyped, new IncrementAndGet(i + 1), Wait, $"k{i}"));
            }

            await SettleAsync(runtime);
            Assert.InRange(runtime.Idempotency.Count, 0, Limit);
            Assert.InRange(runtime.Idempotency.Spilled, Keys - Limit, Keys);

            await RetryEveryKeyAsync(runtime, client);
        });

        // Restarted: recovery reads every live record, keeps the limit and finds the rest in the store again.
        await RunAsync(async (runtime, client) =>
        {
            Assert.InRange(runtime.Idempotency.Count, 0, Limit);
            await RetryEveryKeyAsync(runtime, client);
        });
    }

    [Fact]
    public async Task A_dead_lettered_record_that_left_memory_comes_back_when_its_message_is_redriven()
    {
        var id = $"spilled-{Guid.NewGuid():N}";
        var faulty = Faulty.At(id).Untyped;
        await RunAsync(async (runtime, client) =>
        {
            await Assert.ThrowsAsync<DeadLetterException>(() => client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
            for (var i = 0; i < Keys; i++)
            {
                await client.SendAsync(Counter.At($"c{i}").Untyped, new Increment(1), $"k{i}");
            }

            await SettleAsync(runtime);
            Assert.False(runtime.Idempotency.Holds(faulty, "boom"), "the dead-lettered record, the first to expire, is still in memory");

            // The dead letter's record is read back from the store: the retry gets the failure, not a new attempt.
            await Assert.ThrowsAsync<DeadLetterException>(() => client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
            await SettleAsync(runtime);

            var deadLetter = Assert.Single(client.GetDeadLetters(), d => d.Target == faulty);
            await client.RedriveDeadLetterAsync(deadLetter.Id);
            Assert.Equal("should not be seen", await client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
            await SettleAsync(runtime);
            Assert.Equal("should not be seen", await client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
        });

        await RunAsync(async (_, client) =>
            Assert.Equal("should not be seen", await client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom")));
        Assert.Equal(5, FailureGate.Next(id)); // three failed attempts and the re-driven one, none since
    }

    [Fact]
    public async Task Records_in_batches_written_without_fingerprints_stay_in_memory_for_their_window()
    {
        await RunAsync(async (runtime, client) =>
        {
            for (var i = 0; i < Keys; i++)
            {
                Assert.Equal(i + 1, await client.AskAsync<int>(Counter.At($"c{i}").Untyped, new IncrementAndGet(i + 1), Wait, $"k{i}"));
            }
        });

        // As a file from before fingerprints were stored: its batches cannot be found by key.
        using (var database = new LiteDB.LiteDatabase($"Filename={DbPath};Connection=direct"))
        {
            var batches = database.GetCollection("idempotency");
            foreach (var batch in batches.FindAll().ToList())
            {
                Assert.True(batch.Remove("f"));
                batches.Update(batch);
            }
        }

        await RunAsync(async (runtime, client) =>
        {
            Assert.Equal(Keys, runtime.Idempotency.Count);
            Assert.Equal(0, runtime.Idempotency.Spilled);
            for (var i = 0; i < Keys; i++)
            {
                Assert.Equal(i + 1, await client.AskAsync<int>(Counter.At($"c{i}").Untyped, new IncrementAndGet(i + 1), Wait, $"k{i}"));
            }
        });
    }

    [Fact]
    public void The_limit_is_validated()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { IdempotencyKeysInMemory = 0 }));
        Assert.Contains("IdempotencyKeysInMemory", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Every ask repeated with its key gets the first reply; a different message with a key is refused; none was delivered twice.</summary>
    private static async Task RetryEveryKeyAsync(StatefulFunctionsRuntime runtime, IStatefulFunctionsClient client)
    {
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(i + 1, await client.AskAsync<int>(Counter.At($"c{i}").Untyped, new IncrementAndGet(i + 1), Wait, $"k{i}"));
        }

        await Assert.ThrowsAsync<IdempotencyConflictException>(() => client.AskAsync<int>(Counter.At("c0").Untyped, new IncrementAndGet(7), Wait, "k0"));
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(i + 1, await client.AskAsync<int>(Counter.At($"c{i}").Untyped, new GetCount(), Wait));
        }

        await SettleAsync(runtime);
        Assert.InRange(runtime.Idempotency.Count, 0, Limit);
    }

    /// <summary>Commits (and so checkpoints, one after every commit here) until what was handled is in a checkpoint and the table is within its limit.</summary>
    private static async Task SettleAsync(StatefulFunctionsRuntime runtime)
    {
        for (var round = 0; round < 50 && runtime.Idempotency.Count > Limit; round++)
        {
            await runtime.Client.SendAsync(Counter.At("settle").Untyped, new Increment(1));
            await runtime.WhenIdleAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        await runtime.Client.SendAsync(Counter.At("settle").Untyped, new Increment(1));
        await runtime.WhenIdleAsync();
    }

    private async Task RunAsync(Func<StatefulFunctionsRuntime, IStatefulFunctionsClient, Task> work)
    {
        using var store = new LiteDbStateStore(DbPath);
        await using var runtime = new StatefulFunctionsRuntime(
            [new TestModule()],
            new StatefulFunctionsOptions { ShardCount = 2, IdempotencyKeysInMemory = Limit, RetryBackoff = static _ => TimeSpan.Zero },
            store)
        {
            Faults = new StorageFaults { CheckpointInterval = TimeSpan.Zero },
        };
        await runtime.StartAsync();
        await work(runtime, runtime.Client);
        await runtime.WhenIdleAsync();
        await runtime.StopAsync();
    }
}

using Microsoft.Extensions.Time.Testing;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Idempotency keys across restarts on LiteDB, on a manual clock: a key and its reply are remembered within the
/// window, forgotten after it, and the expired records leave the store.
/// </summary>
public sealed class DurableIdempotencyTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-idempotency-restart-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task Keys_and_replies_survive_restarts_within_the_window_and_are_forgotten_and_deleted_after_it()
    {
        var counter = Counter.At("restarted").Untyped;
        var relay = Relay.At("restarted").Untyped;

        await RunAsync(async (runtime, client) =>
        {
            await client.SendAsync(counter, new Increment(1), "send-1");
            Assert.Equal(11, await client.AskAsync<int>(counter, new IncrementAndGet(10), Wait, "ask-1"));

            // A reply that cannot be stored is kept in memory: a retry in the same process gets it.
            Assert.Equal(new Unstorable("reply"), await client.AskAsync<Unstorable>(relay, new Pass("reply"), Wait, "ask-unstorable"));
            Assert.Equal(new Unstorable("reply"), await client.AskAsync<Unstorable>(relay, new Pass("reply"), Wait, "ask-unstorable"));
        });

        _clock.Advance(TimeSpan.FromHours(1));
        await RunAsync(async (runtime, client) =>
        {
            await client.SendAsync(counter, new Increment(1), "send-1");
            Assert.Equal(11, await client.AskAsync<int>(counter, new IncrementAndGet(10), Wait, "ask-1"));
            await Assert.ThrowsAsync<IdempotencyConflictException>(() => client.AskAsync<int>(counter, new IncrementAndGet(3), Wait, "ask-1"));

            var notKept = await Assert.ThrowsAsync<InvalidOperationException>(() => client.AskAsync<Unstorable>(relay, new Pass("reply"), Wait, "ask-unstorable"));
            Assert.Contains("was not kept", notKept.Message, StringComparison.Ordinal);

            Assert.Equal(11, await client.AskAsync<int>(counter, new GetCount(), Wait));
            var relayState = await runtime.ReadStateAsync(relay);
            Assert.Equal(1, MemoryPack.MemoryPackSerializer.Deserialize<int>(relayState!["tries"]));
        });

        // 24 hours after they were accepted the keys are forgotten: the same sends are new messages.
        _clock.Advance(TimeSpan.FromHours(23));
        using (var store = new LiteDbStateStore(DbPath))
        {
            Assert.Equal(3, store.CountIdempotencyKeys());
        }

        await RunAsync(async (runtime, client) =>
        {
            await client.SendAsync(counter, new Increment(1), "send-1");
            Assert.Equal(22, await client.AskAsync<int>(counter, new IncrementAndGet(10), Wait, "ask-1"));
        });

        // The final checkpoint deleted the expired records (by a range of their expiry) and kept the two new ones.
        using (var store = new LiteDbStateStore(DbPath))
        {
            Assert.Equal(2, store.CountIdempotencyKeys());
        }
    }

    [Fact]
    public async Task A_dead_lettered_keyed_message_keeps_its_key_across_restarts_and_its_redriven_reply_is_what_retries_get()
    {
        var id = $"keyed-{Guid.NewGuid():N}";
        var faulty = Faulty.At(id).Untyped;

        await RunAsync(async (_, client) =>
            await Assert.ThrowsAsync<DeadLetterException>(() => client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom")));

        // Restarted: the retry gets the failure (not a new attempt); the dead letter is re-driven with its key, and its
        // outcome is written in a later checkpoint than the key itself.
        await RunAsync(async (_, client) =>
        {
            await Assert.ThrowsAsync<DeadLetterException>(() => client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
            var deadLetter = Assert.Single(client.GetDeadLetters(), d => d.Target == faulty);
            Assert.Equal("boom", deadLetter.IdempotencyKey);
            await client.RedriveDeadLetterAsync(deadLetter.Id);
            Assert.Equal("should not be seen", await client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom"));
        });

        await RunAsync(async (_, client) =>
            Assert.Equal("should not be seen", await client.AskAsync<string>(faulty, new Boom(Attempts: 3), Wait, "boom")));
        Assert.Equal(5, FailureGate.Next(id)); // three failed attempts and the re-driven one, none since
    }

    [Fact]
    public void The_window_is_validated()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { IdempotencyWindow = TimeSpan.Zero }));
        Assert.Contains("IdempotencyWindow", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Starts a runtime on the database and the manual clock, runs <paramref name="work"/>, and stops it (final
    /// checkpoint). Retries do not pause: a pause on the manual clock would never end.
    /// </summary>
    private async Task RunAsync(Func<StatefulFunctionsRuntime, IStatefulFunctionsClient, Task> work)
    {
        using var store = new LiteDbStateStore(DbPath);
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2, RetryBackoff = static _ => TimeSpan.Zero }, store, _clock);
        await runtime.StartAsync();
        await work(runtime, runtime.Client);
        await runtime.WhenIdleAsync();
        await runtime.StopAsync();
    }
}

using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// With durable storage, a message or egress record MemoryPack cannot serialize is refused where it is made — to
/// the client that sends it, or as a failure of the handler that sends or emits it — and the runtime goes on.
/// </summary>
public sealed class UnstorableMessageTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("sf-unstorable-").FullName;

    [Fact]
    public async Task A_client_sending_a_message_that_cannot_be_stored_gets_a_clear_error_and_the_runtime_goes_on()
    {
        using var store = new LiteDbStateStore(Path.Combine(_folder, "app.db"));
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await app.Client.SendAsync(Relay.At("direct").Untyped, new Unstorable("direct")));
        Assert.Contains($"A {typeof(Unstorable).FullName} cannot be stored", error.Message, StringComparison.Ordinal);
        Assert.Contains("[MemoryPackable]", error.Message, StringComparison.Ordinal);

        await AssertStillWorksAsync(app);
    }

    [Theory]
    [InlineData("send")]
    [InlineData("send-later")]
    [InlineData("emit")]
    public async Task A_handler_sending_or_emitting_what_cannot_be_stored_is_dead_lettered_and_the_runtime_goes_on(string how)
    {
        using var store = new LiteDbStateStore(Path.Combine(_folder, "app.db"));
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], o => o.RetryBackoff = _ => TimeSpan.Zero, store);
        var relay = Relay.At(how).Untyped;

        // Bounded waits: a runtime whose group commit failed would never become idle again.
        await app.Client.SendAsync(relay, new Pass(how)).AsTask().WaitAsync(Deadline);
        await app.RunUntilIdleAsync().WaitAsync(Deadline);

        var deadLetter = Assert.Single(app.DeadLetters);
        Assert.Equal((relay, new Pass(how)), (deadLetter.Target, (Pass)deadLetter.Message));
        Assert.Contains($"A {typeof(Unstorable).FullName} cannot be stored", deadLetter.Exception, StringComparison.Ordinal);
        Assert.Equal(0, await app.GetStateAsync<int>(relay, "tries"));
        Assert.Empty(app.Emitted(Relay.Out));

        await AssertStillWorksAsync(app);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task AssertStillWorksAsync(Testing.TestApplication app)
    {
        var counter = Counter.At($"after-{Guid.NewGuid():N}").Untyped;
        await app.Client.SendAsync(counter, new Increment(2)).AsTask().WaitAsync(Deadline);
        Assert.Equal(2, await app.Client.AskAsync<int>(counter, new GetCount(), Deadline));
    }
}

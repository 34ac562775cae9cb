using StatefulFunctions.Runtime.Tests.Functions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Typed request-reply from outside: an answering handler's returned value is the reply of a typed ask, which needs no
/// cast and no timeout. Runs once per store.
/// </summary>
public abstract class RequestReplyTests() : PerStoreTests("sf-request-reply-")
{
    [Fact]
    public async Task A_typed_ask_gets_what_the_handler_returned_once_its_state_is_committed()
    {
        await using var app = await StartAsync();

        decimal afterDeposit = await app.Client.AskAsync(Wallet.At("ada"), new AddFunds(12.5m));
        decimal afterSecond = await app.Client.AskAsync(Wallet.At("ada"), new AddFunds(7.5m), TimeSpan.FromSeconds(30));
        decimal balance = await app.Client.AskAsync(Wallet.At("ada"), new GetFunds());

        Assert.Equal(12.5m, afterDeposit);
        Assert.Equal(20m, afterSecond);
        Assert.Equal(20m, balance);
    }

    [Fact]
    public async Task A_reply_type_with_null_gets_null_and_a_record_reply_arrives_whole()
    {
        await using var app = await StartAsync();

        Assert.Null(await app.Client.AskAsync(Wallet.At("bob"), new GetNickname()));
        await app.Client.SendAsync(Wallet.At("bob"), new Rename("bobby"));
        Assert.Equal("bobby", await app.Client.AskAsync(Wallet.At("bob"), new GetNickname()));
        Assert.Equal(new Statement(0m, "bobby", 1), await app.Client.AskAsync(Wallet.At("bob"), new GetStatement()));
    }

    [Fact]
    public async Task An_untyped_address_is_asked_with_the_reply_type_of_the_message()
    {
        await using var app = await StartAsync();
        Address address = Wallet.At("cy").Untyped;

        decimal funds = await app.Client.AskAsync(address, new AddFunds(3m));

        Assert.Equal(3m, funds);
    }

    [Fact]
    public async Task A_keyed_typed_ask_is_handled_once_and_its_retry_gets_the_same_reply()
    {
        await using var app = await StartAsync();

        var first = await app.Client.AskAsync(Wallet.At("dee"), new AddFunds(5m), idempotencyKey: "deposit-1");
        var retry = await app.Client.AskAsync(Wallet.At("dee"), new AddFunds(5m), idempotencyKey: "deposit-1");
        var other = await app.Client.AskAsync(Wallet.At("dee"), new AddFunds(5m), idempotencyKey: "deposit-2");

        Assert.Equal(5m, first);
        Assert.Equal(5m, retry);
        Assert.Equal(10m, other);
        Assert.Equal(new Statement(10m, null, 2), await app.Client.AskAsync(Wallet.At("dee"), new GetStatement()));
    }

    [Fact]
    public async Task An_ask_whose_answering_handler_fails_on_every_attempt_gets_the_dead_letter()
    {
        await using var app = await StartAsync(options => options.MaxAttempts = 2);

        var failure = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Wallet.At("eve"), new Overdraw()));

        Assert.Contains("cannot be overdrawn", failure.InnerException?.Message, StringComparison.Ordinal);
        Assert.Single(app.Client.GetDeadLetters());
    }

    private Task<Testing.TestApplication> StartAsync(Action<StatefulFunctionsOptions>? configure = null) =>
        Testing.TestApplication.StartAsync([new TestModule()], options =>
        {
            options.RetryBackoff = _ => TimeSpan.Zero;
            configure?.Invoke(options);
        }, CreateStore());
}

/// <summary>The request-reply suite on in-memory storage.</summary>
public sealed class InMemoryRequestReplyTests : RequestReplyTests
{
    protected override Storage.IStateStore CreateStore() => new Storage.InMemoryStateStore();
}

/// <summary>The request-reply suite on durable storage: replies only after the commit log has the call.</summary>
public sealed class LiteDbRequestReplyTests : RequestReplyTests
{
    protected override Storage.IStateStore CreateStore() => Track(new Storage.LiteDbStateStore(NewDatabasePath()));
}

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

    [Fact]
    public async Task A_deferred_reply_kept_in_state_is_answered_from_a_later_message_once()
    {
        await using var app = await StartAsync();

        var opening = app.Client.AskAsync(Vault.At("v1"), new Open());
        await WaitForAsync(app, Vault.At("v1"), waiting: 1);
        Assert.False(opening.IsCompleted);
        await app.Client.SendAsync(Vault.At("v1"), new Unlock("1234"));

        Assert.Equal("1234", await opening);
    }

    [Fact]
    public async Task A_forwarded_ask_is_answered_by_the_function_it_was_forwarded_to()
    {
        await using var app = await StartAsync();

        var opening = app.Client.AskAsync(Vault.At("front"), new OpenVia("back"));
        await WaitForAsync(app, Vault.At("back"), waiting: 1);
        await app.Client.SendAsync(Vault.At("back"), new Unlock("from the back"));

        Assert.Equal("from the back", await opening);
        Assert.Equal(0, await app.Client.AskAsync(Vault.At("front"), new CountWaiting()));
    }

    [Fact]
    public async Task A_reply_sent_on_in_a_message_is_answered_by_the_instance_that_got_it()
    {
        await using var app = await StartAsync();

        Assert.Equal("handed over", await app.Client.AskAsync(Vault.At("first"), new OpenAt("second", "handed over")));
    }

    [Fact]
    public async Task An_ask_forwarded_to_a_function_that_fails_on_every_attempt_gets_its_dead_letter()
    {
        await using var app = await StartAsync(options => options.MaxAttempts = 2);

        var plain = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Vault.At("front"), new OpenJammed("jammed")));
        var keyed = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Vault.At("front"), new OpenJammed("jammed"), idempotencyKey: "jam-1"));
        var retry = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Vault.At("front"), new OpenJammed("jammed"), idempotencyKey: "jam-1"));

        Assert.Contains("tests/vault/jammed failed to handle", plain.Message, StringComparison.Ordinal);
        Assert.Contains("dead letter", keyed.Message, StringComparison.Ordinal);
        Assert.Equal(keyed.Message, retry.Message);
        Assert.Equal(2, app.Client.GetDeadLetters().Count);
    }

    [Fact]
    public async Task A_keyed_deferred_ask_keeps_its_first_answer_for_every_retry()
    {
        await using var app = await StartAsync();

        var opening = app.Client.AskAsync(Vault.At("k1"), new Open(), idempotencyKey: "open-1");
        await WaitForAsync(app, Vault.At("k1"), waiting: 1);
        var retryWhilePending = app.Client.AskAsync(Vault.At("k1"), new Open(), idempotencyKey: "open-1");
        await app.Client.SendAsync(Vault.At("k1"), new Unlock("first"));

        Assert.Equal("first", await opening);
        Assert.Equal("first", await retryWhilePending);
        Assert.Equal("first", await app.Client.AskAsync(Vault.At("k1"), new Open(), idempotencyKey: "open-1"));
        Assert.Equal(0, await app.Client.AskAsync(Vault.At("k1"), new CountWaiting()));
    }

    [Fact]
    public async Task A_deferred_reply_survives_its_instance_being_swapped_out()
    {
        await using var app = await StartAsync(options => options.CacheBytes = 1);

        var opening = app.Client.AskAsync(Vault.At("cold"), new Open());
        await WaitForAsync(app, Vault.At("cold"), waiting: 1);
        for (var i = 0; i < 50; i++)
        {
            await app.Client.SendAsync(Wallet.At($"w{i}"), new Rename(new string('x', 100)));
        }

        await app.RunUntilIdleAsync();
        Assert.False(await app.Runtime.IsWarmAsync(Vault.At("cold").Untyped));
        await app.Client.SendAsync(Vault.At("cold"), new Unlock("warm again"));

        Assert.Equal("warm again", await opening);
    }

    [Fact]
    public async Task A_function_asks_another_and_gets_its_answer_as_a_reply_message()
    {
        await using var app = await StartAsync();

        await app.Client.SendAsync(Teller.At("t1"), new AskWallet("w1", 5m, "deposit 1"));
        await app.Client.SendAsync(Teller.At("t1"), new AskWallet("w1", 2m, "deposit 2"));
        await app.RunUntilIdleAsync();

        Assert.Equal(
            ["deposit 1 Answered 5 from tests/wallet/w1", "deposit 2 Answered 7 from tests/wallet/w1"],
            await app.Client.AskAsync(Teller.At("t1"), new GetAnswers()));
        Assert.Empty(app.PendingTimers);
    }

    [Fact]
    public async Task An_ask_not_answered_in_time_gets_one_timed_out_reply_and_a_late_answer_is_dropped()
    {
        await using var app = await StartAsync();

        await app.Client.SendAsync(Teller.At("t2"), new AskVault("slow", "open slow", TimeoutMs: 200));
        await WaitForAsync(app, Vault.At("slow"), waiting: 1);
        await app.AdvanceAsync(TimeSpan.FromSeconds(1));
        await app.Client.SendAsync(Vault.At("slow"), new Unlock("too late"));
        await app.RunUntilIdleAsync();

        var answer = Assert.Single(await app.Client.AskAsync(Teller.At("t2"), new GetAnswers()));
        Assert.Equal("open slow TimedOut  from tests/vault/slow", answer);
    }

    [Fact]
    public async Task An_ask_answered_in_time_gets_the_answer_only_and_its_timeout_is_cancelled()
    {
        await using var app = await StartAsync();

        await app.Client.SendAsync(Teller.At("t3"), new AskVault("quick", "open quick", TimeoutMs: 60_000));
        await WaitForAsync(app, Vault.At("quick"), waiting: 1);
        Assert.Single(app.PendingTimers);
        await app.Client.SendAsync(Vault.At("quick"), new Unlock("in time"));
        await app.RunUntilIdleAsync();
        await app.AdvanceAsync(TimeSpan.FromMinutes(2));

        var answer = Assert.Single(await app.Client.AskAsync(Teller.At("t3"), new GetAnswers()));
        Assert.Equal("open quick Answered in time from tests/vault/quick", answer);
        Assert.Empty(app.PendingTimers);
    }

    [Fact]
    public async Task An_ask_whose_message_is_dead_lettered_gets_a_dead_lettered_reply()
    {
        await using var app = await StartAsync(options => options.MaxAttempts = 2);

        await app.Client.SendAsync(Teller.At("t4"), new AskOverdraw("w4", "overdraw"));
        await app.RunUntilIdleAsync();

        var answer = Assert.Single(await app.Client.AskAsync(Teller.At("t4"), new GetAnswers()));
        Assert.StartsWith("overdraw DeadLettered 0 from tests/wallet/w4", answer, StringComparison.Ordinal);
        Assert.Single(app.DeadLetters);
        Assert.Empty(app.PendingTimers);
    }

    [Fact]
    public async Task A_rejected_ask_is_dead_lettered_at_once_with_its_reason_and_nothing_the_call_changed_is_kept()
    {
        await using var app = await StartAsync(options => options.MaxAttempts = 5);
        Assert.Equal(10m, await app.Client.AskAsync(Wallet.At("frugal"), new AddFunds(10)));

        var plain = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Wallet.At("frugal"), new Spend(25)));
        var keyed = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Wallet.At("frugal"), new Spend(30), idempotencyKey: "spend-1"));
        var retry = await Assert.ThrowsAsync<DeadLetterException>(() => app.Client.AskAsync(Wallet.At("frugal"), new Spend(30), idempotencyKey: "spend-1"));

        Assert.StartsWith("tests/wallet/frugal rejected StatefulFunctions.Runtime.Tests.Functions.Spend: Only 10 left, 25 asked. The message was dead-lettered as dead letter ", plain.Message, StringComparison.Ordinal);
        Assert.Contains("Only 10 left, 30 asked.", keyed.Message, StringComparison.Ordinal);
        Assert.Equal(keyed.Message, retry.Message);
        Assert.IsType<MessageRejectedException>(plain.InnerException);
        var deadLetters = app.Client.GetDeadLetters();
        Assert.Equal([1, 1], deadLetters.Select(d => d.Attempts));
        Assert.All(deadLetters, d => Assert.Contains("Only 10 left", d.Exception, StringComparison.Ordinal));

        // The change counted before the rejection was discarded with it; a spend within the funds goes through.
        Assert.Equal(new Statement(10, null, 1), await app.Client.AskAsync(Wallet.At("frugal"), new GetStatement()));
        Assert.Equal(4m, await app.Client.AskAsync(Wallet.At("frugal"), new Spend(6)));
    }

    [Fact]
    public async Task A_function_whose_ask_is_rejected_gets_a_dead_lettered_reply_with_the_reason()
    {
        await using var app = await StartAsync();

        await app.Client.SendAsync(Teller.At("t5"), new AskSpend("w5", 1, "spend"));
        await app.RunUntilIdleAsync();

        var answer = Assert.Single(await app.Client.AskAsync(Teller.At("t5"), new GetAnswers()));
        Assert.StartsWith("spend DeadLettered 0 from tests/wallet/w5: tests/wallet/w5 rejected StatefulFunctions.Runtime.Tests.Functions.Spend: Only 0 left, 1 asked.", answer, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(app.DeadLetters).Attempts);
    }

    /// <summary>Waits until the vault keeps <paramref name="waiting"/> replies (the asks are handled, not only sent).</summary>
    protected static async Task WaitForAsync(Testing.TestApplication app, Address<Vault> vault, int waiting)
    {
        for (var attempt = 0; await app.Client.AskAsync(vault, new CountWaiting()) != waiting; attempt++)
        {
            Assert.True(attempt < 1_000, $"{vault} never kept {waiting} replies.");
            await Task.Delay(10);
        }
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

    [Fact]
    public async Task A_deferred_keyed_ask_is_answered_after_a_restart_and_its_retry_gets_the_answer()
    {
        var path = NewDatabasePath();
        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            // The ask's wait ends with this run; the reply it is owed is in the vault's state and in the dedup record.
            _ = app.Client.AskAsync(Vault.At("kept"), new Open(), idempotencyKey: "open-after-restart");
            await WaitForAsync(app, Vault.At("kept"), waiting: 1);
        }

        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            var retry = app.Client.AskAsync(Vault.At("kept"), new Open(), idempotencyKey: "open-after-restart");
            Assert.Equal(1, await app.Client.AskAsync(Vault.At("kept"), new CountWaiting()));
            await app.Client.SendAsync(Vault.At("kept"), new Unlock("after the restart"));

            Assert.Equal("after the restart", await retry);
            Assert.Equal(0, await app.Client.AskAsync(Vault.At("kept"), new CountWaiting()));
        }

        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Equal("after the restart", await app.Client.AskAsync(Vault.At("kept"), new Open(), idempotencyKey: "open-after-restart"));
            Assert.Equal(0, await app.Client.AskAsync(Vault.At("kept"), new CountWaiting()));
        }
    }

    [Fact]
    public async Task The_reply_to_a_keyed_ask_of_a_type_only_replied_with_is_kept_over_a_restart()
    {
        var path = NewDatabasePath();
        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(Wallet.At("kept"), new Rename("kept"));
            Assert.Equal(new Statement(0m, "kept", 1), await app.Client.AskAsync(Wallet.At("kept"), new GetStatement(), idempotencyKey: "statement-1"));
        }

        // Statement is no message type: its reply is stored because the function declares it as a reply type.
        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(Wallet.At("kept"), new Rename("changed since"));
            Assert.Equal(new Statement(0m, "kept", 1), await app.Client.AskAsync(Wallet.At("kept"), new GetStatement(), idempotencyKey: "statement-1"));
        }
    }

    [Fact]
    public async Task An_ask_between_functions_pending_over_a_restart_gets_exactly_one_reply()
    {
        var path = NewDatabasePath();
        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(Teller.At("t5"), new AskVault("restarted", "open restarted", TimeoutMs: 60_000));
            await WaitForAsync(app, Vault.At("restarted"), waiting: 1);
        }

        using (var store = new Storage.LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            Assert.Single(app.PendingTimers);
            await app.Client.SendAsync(Vault.At("restarted"), new Unlock("kept over the restart"));
            await app.RunUntilIdleAsync();
            await app.AdvanceAsync(TimeSpan.FromMinutes(2));

            var answer = Assert.Single(await app.Client.AskAsync(Teller.At("t5"), new GetAnswers()));
            Assert.Equal("open restarted Answered kept over the restart from tests/vault/restarted", answer);
            Assert.Empty(app.PendingTimers);
        }
    }
}

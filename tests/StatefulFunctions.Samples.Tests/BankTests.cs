using Banking;
using Banking.Functions;
using StatefulFunctions.Storage;
using StatefulFunctions.Testing;

namespace StatefulFunctions.Samples.Tests;

/// <summary>The bank's transfer, in-process, once per store: each step an ask, the caller's reply deferred until it ends.</summary>
public abstract class BankTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bank-");

    protected string NewDatabasePath() => Path.Combine(_folder.FullName, $"{Guid.NewGuid():N}.db");

    /// <summary>Starts the bank on the store of the suite.</summary>
    protected abstract Task<TestApplication> StartAsync(Action<StatefulFunctionsOptions> configure);

    [Fact]
    public async Task A_transfer_moves_the_money_once_and_answers_done()
    {
        await using var app = await OpenAsync(("ada", 100), ("bob", 50));

        var result = await app.Client.AskAsync(Transfer.At("t1"), new StartTransfer("ada", "bob", 30));
        var again = await app.Client.AskAsync(Transfer.At("t1"), new StartTransfer("ada", "bob", 30));

        Assert.Equal(TransferOutcome.Done, result.Outcome);
        Assert.Equal(result, again);
        Assert.Equal((70m, 80m), (await BalanceAsync(app, "ada"), await BalanceAsync(app, "bob")));
        Assert.Equal(["-t1 30"], await app.Client.AskAsync(Account.At("ada"), new GetStatement()));
        Assert.Equal(["+t1 30"], await app.Client.AskAsync(Account.At("bob"), new GetStatement()));
        Assert.Empty(app.PendingTimers);
    }

    [Fact]
    public async Task A_transfer_the_source_cannot_pay_moves_nothing()
    {
        await using var app = await OpenAsync(("ada", 10), ("bob", 0));

        var result = await app.Client.AskAsync(Transfer.At("t2"), new StartTransfer("ada", "bob", 30));

        Assert.Equal(TransferOutcome.Refused, result.Outcome);
        Assert.Equal((10m, 0m), (await BalanceAsync(app, "ada"), await BalanceAsync(app, "bob")));
    }

    [Fact]
    public async Task A_transfer_to_a_closed_account_is_credited_back()
    {
        await using var app = await OpenAsync(("ada", 100), ("carol", 0));
        await app.Client.AskAsync(Account.At("carol"), new Close());

        var result = await app.Client.AskAsync(Transfer.At("t3"), new StartTransfer("ada", "carol", 10));

        Assert.Equal(TransferOutcome.Refunded, result.Outcome);
        Assert.Equal((100m, 0m), (await BalanceAsync(app, "ada"), await BalanceAsync(app, "carol")));
        Assert.Equal(["-t3 10", "+t3/refund 10"], await app.Client.AskAsync(Account.At("ada"), new GetStatement()));
    }

    [Fact]
    public async Task A_caller_whose_deadline_passes_first_is_told_it_still_runs_and_the_transfer_ends_after_it()
    {
        // The test harness runs the transfer alone: the accounts' answers come when the test gives them.
        var transfer = new FunctionTestHarness<Transfer>("t4");
        await transfer.InvokeAsync(new StartTransfer("ada", "bob", 30));
        var debit = Assert.Single(transfer.Sent);
        Assert.Equal((Account.At("ada").Untyped, new Debit("t4", 30)), (debit.Target, debit.Message));

        await transfer.AdvanceAsync(Transfer.Deadline);
        var late = Assert.IsType<TransferResult>(Assert.Single(transfer.Replies));
        Assert.Equal(TransferOutcome.StillRunning, late.Outcome);

        await transfer.InvokeAsync(new Reply<bool>("debit", "bank/account", "ada", ReplyStatus.Answered, Value: true, Failure: null));
        await transfer.InvokeAsync(new Reply<bool>("credit", "bank/account", "bob", ReplyStatus.Answered, Value: true, Failure: null));

        Assert.Single(transfer.Replies);
        Assert.Equal(TransferOutcome.Done, transfer.GetState<TransferResult>("result")?.Outcome);
    }

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<TestApplication> OpenAsync(params (string Id, decimal Balance)[] accounts)
    {
        var app = await StartAsync(options => options.ShardCount = 2);
        foreach (var (id, balance) in accounts)
        {
            await app.Client.AskAsync(Account.At(id), new Deposit(balance));
        }

        return app;
    }

    private static Task<decimal> BalanceAsync(TestApplication app, string id) => app.Client.AskAsync(Account.At(id), new GetBalance());

}

/// <summary>The bank's tests on in-memory storage.</summary>
public sealed class InMemoryBankTests : BankTests
{
    protected override Task<TestApplication> StartAsync(Action<StatefulFunctionsOptions> configure) =>
        TestApplication.StartAsync([new BankModule()], configure, new InMemoryStateStore());
}

/// <summary>The bank's tests on LiteDB with the commit log.</summary>
public sealed class LiteDbBankTests : BankTests
{
    protected override Task<TestApplication> StartAsync(Action<StatefulFunctionsOptions> configure) =>
        TestApplication.StartDurableAsync(NewDatabasePath(), [new BankModule()], configure);
}

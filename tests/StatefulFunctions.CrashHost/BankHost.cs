using System.Globalization;
using Banking;
using Banking.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace StatefulFunctions.CrashHost;

/// <summary>
/// The host of the bank's crash test: the bank sample's functions on a LiteDB file, asked by the test process, which
/// survives the kills and writes one command per line to standard input; each runs without waiting for the previous:
/// <c>open ACCOUNT AMOUNT</c> deposits the opening amount once (keyed by the account) and prints <c>opened ACCOUNT</c>,
/// <c>close ACCOUNT</c> closes it, <c>transfer ID FROM TO AMOUNT</c> asks for the transfer, keyed by its id, and prints
/// <c>result ID OUTCOME</c> when it is answered; <c>finish</c> waits for everything, prints <c>balance ACCOUNT VALUE</c>
/// and <c>statement ACCOUNT ENTRY;ENTRY...</c> for every account it opened, then <c>done</c>, and exits.
/// </summary>
public static class BankHost
{
    public static async Task RunAsync(string db)
    {
        await using var services = DurableServices.Open(db, module: new BankModule());
        var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();

        // Checkpoints often, so that kills land around checkpoints too.
        runtime.Faults = new Runtime.StorageFaults { CheckpointInterval = TimeSpan.FromMilliseconds(200) };
        await runtime.StartAsync();
        Console.WriteLine("ready");

        var client = runtime.Client;
        var accounts = new List<string>();
        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Split(' '))
            {
                case ["open", var account, var amount]:
                    accounts.Add(account);
                    running.Add(OpenAsync(client, account, decimal.Parse(amount, CultureInfo.InvariantCulture)));
                    break;
                case ["close", var account]:
                    running.Add(client.AskAsync(Account.At(account), new Close(), TimeSpan.FromMinutes(2)));
                    break;
                case ["transfer", var id, var from, var to, var amount]:
                    running.Add(TransferAsync(client, id, new StartTransfer(from, to, decimal.Parse(amount, CultureInfo.InvariantCulture))));
                    break;
                case ["finish"]:
                    await Task.WhenAll(running);
                    await runtime.WhenIdleAsync();
                    foreach (var account in accounts)
                    {
                        Console.WriteLine($"balance {account} {(await client.AskAsync(Account.At(account), new GetBalance())).ToString(CultureInfo.InvariantCulture)}");
                        Console.WriteLine($"statement {account} {string.Join(';', await client.AskAsync(Account.At(account), new GetStatement()))}");
                    }

                    Console.WriteLine("done");
                    return;
            }
        }
    }

    private static async Task OpenAsync(IStatefulFunctionsClient client, string account, decimal amount)
    {
        await client.AskAsync(Account.At(account), new Deposit(amount), TimeSpan.FromMinutes(2), idempotencyKey: "open-" + account);
        Console.WriteLine($"opened {account}");
    }

    private static async Task TransferAsync(IStatefulFunctionsClient client, string id, StartTransfer transfer)
    {
        var result = await client.AskAsync(Transfer.At(id), transfer, TimeSpan.FromMinutes(2), idempotencyKey: id);
        Console.WriteLine($"result {id} {result.Outcome}");
    }
}

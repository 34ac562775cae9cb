using System.Globalization;
using Xunit.Abstractions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// The bank sample's transfers across crashes: the host runs them on a LiteDB file and is killed with SIGKILL at
/// random moments while many are under way (each a saga of asks between functions, with the caller's reply deferred);
/// the client (this process) retries every transfer it has no answer to, with the same idempotency key. At the end the
/// total of all balances is what was deposited, every transfer that answered "done" is applied exactly once, and no
/// step of any transfer is applied twice.
/// </summary>
public sealed class BankCrashTests(ITestOutputHelper log) : IDisposable
{
    private const string Host = "StatefulFunctions.CrashHost.dll";
    private const int Seed = 20_261_203;
    private const int Accounts = 6;
    private const int Transfers = 800;
    private const decimal Opening = 1_000;
    private const int Kills = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-bank-crash-").FullName;

    [Fact]
    public async Task Killed_during_concurrent_transfers_the_bank_keeps_its_total_and_applies_each_done_transfer_once()
    {
        var random = new Random(Seed);
        var accounts = Enumerable.Range(0, Accounts).Select(i => $"a{i}").Append("closed").ToArray();
        var transfers = Enumerable.Range(0, Transfers).Select(i =>
        {
            var from = accounts[random.Next(Accounts)];
            var to = random.Next(12) == 0 ? "closed" : accounts[(Array.IndexOf(accounts, from) + 1 + random.Next(Accounts - 1)) % Accounts];
            return (Id: $"t{i}", From: from, To: to, Amount: random.Next(1, 600));
        }).ToArray();
        var arguments = new[] { "--mode", "bank", "--db", Path.Combine(_folder, "bank.db") };
        var answers = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var sent = 0;
        var interrupted = 0; // transfers asked in a run that was killed before answering them
        string[] output = [];

        for (var run = 0; run <= Kills; run++)
        {
            var final = run == Kills;
            using var child = ChildProcess.StartDotnetWithInput(Host, arguments);
            foreach (var account in accounts)
            {
                child.WriteLine($"open {account} {(account == "closed" ? 0 : Opening).ToString(CultureInfo.InvariantCulture)}");
            }

            child.WriteLine("close closed");

            // Every transfer sent before and not answered is asked again with its key: it may be anywhere in its saga.
            var asked = transfers.Take(sent).Where(t => !answers.ContainsKey(t.Id)).Select(t => t.Id).ToList();
            foreach (var transfer in transfers.Take(sent).Where(t => !answers.ContainsKey(t.Id)))
            {
                child.WriteLine(Line(transfer));
            }

            var ready = await child.WaitForLineAsync("ready", TimeSpan.FromMinutes(2));
            Assert.True(ready is not null, "The host ended before it was ready:\n" + string.Join('\n', child.Lines));
            var until = final ? Transfers : Math.Min(Transfers, sent + random.Next(100, 200));
            // A few at a time, as callers come: the kill then finds transfers at every step of their saga.
            while (sent < until)
            {
                asked.Add(transfers[sent].Id);
                child.WriteLine(Line(transfers[sent++]));
                if (sent % 4 == 0)
                {
                    await Task.Delay(random.Next(0, 3));
                }
            }

            if (final)
            {
                child.WriteLine("finish");
                var exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(5));
                output = [.. child.Lines];
                Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', output.TakeLast(20))}");
            }
            else
            {
                // Killed as soon as the last ones are written: they are mid-saga then.
                await child.KillAsync();
                output = [.. child.Lines];
            }

            foreach (var line in output.Where(l => l.StartsWith("result ", StringComparison.Ordinal)))
            {
                var parts = line.Split(' ');
                (answers.TryGetValue(parts[1], out var seen) ? seen : answers[parts[1]] = new(StringComparer.Ordinal)).Add(parts[2]);
            }

            var unanswered = asked.Count(id => !answers.ContainsKey(id));
            interrupted += final ? 0 : unanswered;
            log.WriteLine($"run {run}: {asked.Count} asked, {output.Count(l => l.StartsWith("result ", StringComparison.Ordinal))} answers, {unanswered} unanswered");
        }

        // The kills must have landed while transfers were under way, or this proves nothing about them.
        Assert.True(interrupted > 0, "Every kill came after all its transfers were answered: kill earlier.");

        var balances = output.Where(l => l.StartsWith("balance ", StringComparison.Ordinal)).Select(l => l.Split(' '))
            .ToDictionary(p => p[1], p => decimal.Parse(p[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var statements = output.Where(l => l.StartsWith("statement ", StringComparison.Ordinal)).Select(l => l.Split(' ', 3))
            .ToDictionary(p => p[1], p => p.Length > 2 && p[2].Length > 0 ? p[2].Split(';') : [], StringComparer.Ordinal);
        Assert.Equal(accounts.Order(StringComparer.Ordinal), balances.Keys.Order(StringComparer.Ordinal));

        // Money is neither made nor lost, whatever the kills interrupted.
        Assert.Equal(Opening * Accounts, balances.Values.Sum());
        Assert.Equal(0m, balances["closed"]);

        // No step of any transfer was applied twice, and each balance is what its statement says.
        foreach (var (account, entries) in statements)
        {
            Assert.Equal(entries.Length, entries.Distinct(StringComparer.Ordinal).Count());
            var moved = entries.Sum(e => (e[0] == '-' ? -1 : 1) * decimal.Parse(e.Split(' ')[1], CultureInfo.InvariantCulture));
            Assert.Equal((account == "closed" ? 0 : Opening) + moved, balances[account]);
        }

        // Every transfer got an answer in the end, the same each time it ended, and one answered done is applied once.
        Assert.Equal(Transfers, answers.Count);
        foreach (var (id, from, to, amount) in transfers)
        {
            var ended = answers[id].Where(a => a != "StillRunning").ToList();
            Assert.True(ended.Distinct().Count() <= 1, $"{id} was answered {string.Join(" and ", ended)}");
            var debits = statements[from].Count(e => e == $"-{id} {amount}");
            var credits = statements[to].Count(e => e == $"+{id} {amount}");
            if (ended is ["Done"])
            {
                Assert.Equal((1, 1), (debits, credits));
            }
            else if (ended is ["Refused"])
            {
                Assert.Equal((0, 0), (debits, credits));
            }
            else if (ended is ["Refunded"])
            {
                Assert.Equal((1, 0, 1), (debits, credits, statements[from].Count(e => e == $"+{id}/refund {amount}")));
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Line((string Id, string From, string To, int Amount) transfer) =>
        $"transfer {transfer.Id} {transfer.From} {transfer.To} {transfer.Amount}";
}

using System.Globalization;
using StatefulFunctions.CrashHost;
using Xunit.Abstractions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Exactly-once from the outside: the client is this test process, the host a child process on a LiteDB file that is
/// killed with SIGKILL at random moments. The client sends and asks with idempotency keys, and after each restart
/// retries every send it has no acknowledgement of (accepted or not, it cannot tell), plus some that were acknowledged
/// (as if the acknowledgement had been lost). At the end every counter equals the number of distinct keys sent to it,
/// and every retried ask got the reply of the original.
/// </summary>
public sealed class IdempotentIngressCrashTests(ITestOutputHelper log) : IDisposable
{
    private const string Host = "StatefulFunctions.CrashHost.dll";
    private const int Seed = 20_260_801;
    private const int Keys = 800;
    private const int Counters = 16;

    /// <summary>Far fewer than the keys: most retries find their dedup record in the checkpoint store, not in memory.</summary>
    private const int KeysInMemory = 32;
    private const int Kills = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-keyed-crash-").FullName;

    [Fact]
    public async Task Killed_at_random_moments_with_a_client_retrying_every_unacknowledged_send_each_counter_counts_each_key_once()
    {
        var random = new Random(Seed);
        var commands = Enumerable.Range(0, Keys)
            .Select(i => new KeyedCommand($"key-{i}", Workload.CounterId(random.Next(Counters)), Ask: random.Next(4) == 0, HandleMs: random.Next(0, 5)))
            .ToArray();
        var arguments = new[] { "--mode", "keyed", "--db", Path.Combine(_folder, "app.db"), "--counters", Counters.ToString(CultureInfo.InvariantCulture), "--ack-delay-ms", "200", "--keys-in-memory", KeysInMemory.ToString(CultureInfo.InvariantCulture) };
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var replies = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var sent = 0; // commands [0, sent) were written at least once
        var unacknowledgedRetries = 0;
        var acceptedUnacknowledged = new HashSet<string>(StringComparer.Ordinal); // durable before a kill, never acknowledged then
        string[] output = [];

        for (var run = 0; run <= Kills; run++)
        {
            var final = run == Kills;
            using var child = ChildProcess.StartDotnetWithInput(Host, arguments);

            // Every send without an acknowledgement is retried: it may or may not have been accepted before the kill.
            // So is a tenth of the acknowledged ones, as if their acknowledgement had been lost on the way.
            var retries = commands.Take(sent).Where(c => !acknowledged.Contains(c.Key) || random.Next(10) == 0).ToList();
            var retriedUnacknowledged = retries.Count(c => !acknowledged.Contains(c.Key));
            unacknowledgedRetries += retriedUnacknowledged;
            foreach (var command in retries)
            {
                child.WriteLine(command.Line);
            }

            if (run == 2)
            {
                // Killed while it starts or recovers, its retries maybe half read.
                await Task.Delay(random.Next(50, 400));
            }
            else
            {
                var ready = await child.WaitForLineAsync("ready", TimeSpan.FromMinutes(2));
                Assert.True(ready is not null, "The host ended before it was ready:\n" + string.Join('\n', child.Lines));

                // New keys in small windows, then a burst; the kill comes as soon as the host has accepted a send from the
                // middle of the burst: others are being accepted, accepted and not yet acknowledged, or not yet handled.
                var until = final ? Keys : Math.Min(Keys, sent + random.Next(80, 160));
                var burst = final ? 0 : random.Next(20, 60);
                while (sent < until)
                {
                    for (var i = 0; i < (until - sent <= burst ? burst : 8) && sent < until; i++)
                    {
                        child.WriteLine(commands[sent++].Line);
                    }

                    if (sent < until)
                    {
                        await Task.Delay(random.Next(0, 4));
                    }
                }

                if (!final)
                {
                    // A send (only sends log "accepted"): the first of the burst's second half, or else the last one sent.
                    var middle = commands.Skip(sent - (burst / 2)).Take(burst / 2).FirstOrDefault(c => !c.Ask) ?? commands.Take(sent).Last(c => !c.Ask);
                    await child.WaitForLineAsync($"accepted {middle.Key}", TimeSpan.FromMinutes(1), exact: true);
                }
            }

            if (final)
            {
                child.WriteLine("finish");
                var exitCode = await child.WaitForExitAsync(TimeSpan.FromMinutes(5));
                Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', child.Lines)}");
            }
            else
            {
                await child.KillAsync();
            }

            output = [.. child.Lines];
            Collect(output, acknowledged, replies);
            acceptedUnacknowledged.UnionWith(output.Where(l => l.StartsWith("accepted ", StringComparison.Ordinal)).Select(l => l["accepted ".Length..]).Where(k => !acknowledged.Contains(k)));
            log.WriteLine($"run {run}: retried {retriedUnacknowledged} unacknowledged and {retries.Count - retriedUnacknowledged} acknowledged; {sent} keys sent, {acknowledged.Count} acknowledged after it, {acceptedUnacknowledged.Count} accepted without acknowledgement so far");
            Assert.DoesNotContain(output, l => l.StartsWith("stderr:", StringComparison.Ordinal));
        }

        // The kills did cut sends off: some were retried without the client knowing whether they had been accepted, and
        // some of those had been (the host logged them durable, their acknowledgement was still on its way).
        Assert.True(unacknowledgedRetries > 0, "No send was left unacknowledged by a kill: the kills landed outside the work.");
        Assert.True(acceptedUnacknowledged.Count > 0, "No accepted send lost its acknowledgement to a kill.");
        Assert.Equal(commands.Select(c => c.Key).Order(StringComparer.Ordinal), acknowledged.Order(StringComparer.Ordinal));

        var expected = Enumerable.Range(0, Counters).Select(Workload.CounterId)
            .ToDictionary(id => id, id => (long)commands.Count(c => c.Counter == id), StringComparer.Ordinal);
        var counters = output.Where(l => l.StartsWith("counter ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(parts => parts[1], parts => long.Parse(parts[2], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), counters.OrderBy(e => e.Key, StringComparer.Ordinal));

        // Every answer to an ask, original or retried, before or after a restart, is the reply of its one handling:
        // the same for one key, and a different value for each key of one counter.
        foreach (var (key, values) in replies)
        {
            Assert.True(values.Distinct().Count() == 1, $"Ask {key} was answered {string.Join(", ", values)}.");
        }

        foreach (var counter in commands.Where(c => c.Ask).GroupBy(c => c.Counter))
        {
            var values = counter.Select(c => replies[c.Key][0]).ToList();
            Assert.Equal(values.Count, values.Distinct().Count());
        }

        // Most dedup records had left memory for the checkpoint store, so most retries found theirs there.
        var dedupLine = Assert.Single(output, l => l.StartsWith("dedup records ", StringComparison.Ordinal));
        log.WriteLine(dedupLine);
        var dedup = dedupLine.Split(' ');
        Assert.InRange(int.Parse(dedup[4], CultureInfo.InvariantCulture), 0, KeysInMemory);
        Assert.InRange(int.Parse(dedup[6], CultureInfo.InvariantCulture), Keys / 2, Keys);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Reads what the host acknowledged: <c>acked KEY</c> for a send, <c>replied KEY VALUE</c> for an ask.</summary>
    private static void Collect(IEnumerable<string> lines, HashSet<string> acknowledged, Dictionary<string, List<long>> replies)
    {
        foreach (var line in lines)
        {
            switch (line.Split(' '))
            {
                case ["acked", var key]:
                    acknowledged.Add(key);
                    break;
                case ["replied", var key, var value]:
                    acknowledged.Add(key);
                    if (!replies.TryGetValue(key, out var values))
                    {
                        replies[key] = values = new List<long>();
                    }

                    values.Add(long.Parse(value, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    /// <summary>
    /// One keyed command of the client: add 1 to a counter, as a send or as an ask, with a handler that takes a few
    /// milliseconds so that a kill finds messages accepted but not yet handled.
    /// </summary>
    private sealed record KeyedCommand(string Key, string Counter, bool Ask, int HandleMs)
    {
        public string Line => string.Create(CultureInfo.InvariantCulture, $"{(Ask ? "ask" : "send")} {Key} {Counter} {HandleMs}");

        /// <summary>The host's line acknowledging it: exactly this for a send, this and the value for an ask.</summary>
        public string Acknowledgement => Ask ? $"replied {Key} " : $"acked {Key}";
    }
}

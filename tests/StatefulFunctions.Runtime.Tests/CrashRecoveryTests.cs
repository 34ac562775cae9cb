using System.Globalization;
using StatefulFunctions.CrashHost;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Exactly-once across crashes: a host on a LiteDB file is killed with SIGKILL at random moments while it runs a
/// seeded workload (increments, two-hop sends, delayed sends, cancellations, egress), then restarted; at the end
/// every counter equals the model exactly and no accepted command was lost.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string Host = "StatefulFunctions.CrashHost.dll";
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-crash-").FullName;

    [Fact]
    public async Task Killed_at_random_moments_the_host_ends_with_every_counter_exactly_as_the_model()
    {
        const int Seed = 20_261_123;
        const int Commands = 30_000;
        var workload = Workload.Create(Seed, Commands);
        var expected = Workload.ExpectedCounters(workload);
        var arguments = new[] { "--db", Path.Combine(_folder, "app.db"), "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--commands", Commands.ToString(CultureInfo.InvariantCulture), "--pause-ms", "2" };
        var random = new Random(Seed);
        var lastAccepted = -1L;
        var kills = 0;
        var egress = new EgressConsumerLog();

        while (kills < 6)
        {
            using var child = ChildProcess.StartDotnet(Host, arguments);
            if (kills % 3 == 2)
            {
                // Now and then, kill it while it is still starting or recovering.
                await Task.Delay(random.Next(20, 150));
            }
            else
            {
                var resume = await child.WaitForLineAsync("resume ", TimeSpan.FromMinutes(2));
                Assert.True(resume is not null, "The host ended before resuming:\n" + string.Join('\n', child.Lines));
                AssertNothingAcceptedWasLost(resume, lastAccepted);

                // Kill at a random point of the remaining work, plus jitter. The host prints "accepted N" after each
                // window of 64 commands from where it resumed.
                var resumedAt = long.Parse(resume["resume ".Length..], CultureInfo.InvariantCulture);
                var windows = random.Next(0, Math.Max(1, (int)((Commands - resumedAt) / 64 / 10)));
                await child.WaitForLineAsync($"accepted {resumedAt + (64 * windows) + 63}", TimeSpan.FromMinutes(2), exact: true);
                await Task.Delay(random.Next(0, 15));
            }

            await child.KillAsync();
            kills++;
            egress.Add(child.Lines);
            lastAccepted = Math.Max(lastAccepted, LastAccepted(child.Lines));
            Assert.False(
                child.Lines.Contains("done"),
                $"The workload finished before kill {kills}: make it longer so the kills land mid-run. Output:\n{string.Join('\n', child.Lines.Take(3).Concat(child.Lines.TakeLast(3)))}");
        }

        using var final = ChildProcess.StartDotnet(Host, arguments);
        var exitCode = await final.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var output = final.Lines;
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{string.Join('\n', output)}");
        egress.Add(output);

        // Every egress record of the workload reached the consumer, none that it acknowledged came back.
        var expectedEgress = workload.Where(c => c.Kind == CommandKind.Egress).Select(c => $"cmd-{c.Index}").ToHashSet();
        Assert.Empty(egress.RedeliveredAfterAcknowledgement);
        Assert.Equal(expectedEgress.Order(StringComparer.Ordinal), egress.Values.Where(v => v.StartsWith("cmd-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        AssertNothingAcceptedWasLost(output.First(l => l.StartsWith("resume ", StringComparison.Ordinal)), lastAccepted);

        var counters = output.Where(l => l.StartsWith("counter ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(parts => parts[1], parts => long.Parse(parts[2], CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), counters.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>What the host's egress consumer saw across runs: "egress ID VALUE" when read, "acked ID" once durable.</summary>
    private sealed class EgressConsumerLog
    {
        private readonly HashSet<long> _acknowledged = new();
        private readonly Dictionary<long, string> _values = new();

        public List<string> RedeliveredAfterAcknowledgement { get; } = new();

        public IEnumerable<string> Values => _values.Values;

        public void Add(IReadOnlyList<string> lines)
        {
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                if (parts is ["egress", var id, var value])
                {
                    var recordId = long.Parse(id, CultureInfo.InvariantCulture);
                    if (_acknowledged.Contains(recordId))
                    {
                        RedeliveredAfterAcknowledgement.Add(line);
                    }

                    if (_values.TryGetValue(recordId, out var earlier) && earlier != value)
                    {
                        RedeliveredAfterAcknowledgement.Add($"{line} (was {earlier})");
                    }

                    _values[recordId] = value;
                }
                else if (parts is ["acked", var acked])
                {
                    _acknowledged.Add(long.Parse(acked, CultureInfo.InvariantCulture));
                }
            }
        }
    }

    /// <summary>A command accepted (its SendAsync returned) before a kill must have been applied after the restart.</summary>
    private static void AssertNothingAcceptedWasLost(string? resumeLine, long lastAccepted)
    {
        var resumedAt = long.Parse(resumeLine!["resume ".Length..], CultureInfo.InvariantCulture);
        Assert.True(resumedAt > lastAccepted, $"Command {lastAccepted} was accepted before the kill, but the restarted host resumes at {resumedAt}.");
    }

    private static long LastAccepted(IReadOnlyList<string> lines) =>
        lines.Where(l => l.StartsWith("accepted ", StringComparison.Ordinal))
            .Select(l => long.Parse(l["accepted ".Length..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1)
            .Max();
}

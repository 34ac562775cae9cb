using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using StatefulFunctions.Benchmarks.Functions;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// The cost of idempotency keys: the same one-hop workload (uniform targets) sent without keys and with a new key per
/// message, in memory and durable. Keyed runs add a <c>-replay</c> line: the first <see cref="ReplayCount"/> sends
/// repeated with their keys and messages, all deduplicated (acknowledged, nothing delivered); its latencies are empty.
/// </summary>
internal sealed partial record Scenario
{
    private const int ReplayCount = 100_000;

    /// <summary>A send scenario; durable ones send in windows of <see cref="Window"/>, in-memory ones one after the other.</summary>
    private static Scenario Send(string name, bool durable, bool keyed) =>
        new(name, 256L << 20, async (messages, shards) =>
        {
            BenchStats.Reset();
            var folder = durable ? Directory.CreateTempSubdirectory("sf-bench-keyed-") : null;
            try
            {
                await using var services = OpenRuntime(folder is null ? null : Path.Combine(folder.FullName, "bench.db"), shards, 256L << 20);
                var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();
                await runtime.StartAsync();

                var (count, targets, picks, expected, random) = PickOneHopTargets(messages, zipf: false);
                var keys = keyed ? Enumerable.Range(0, messages).Select(i => "send-" + i.ToString(CultureInfo.InvariantCulture)).ToArray() : null;
                var kept = new Increment[Math.Min(ReplayCount, messages)];
                var window = durable ? Window : 1;
                var elapsed = await TimeAsync(runtime, () => SendAllAsync(runtime.Client, messages, window, i =>
                {
                    var increment = new Increment(Stopwatch.GetTimestamp());
                    if (i < kept.Length)
                    {
                        kept[i] = increment;
                    }

                    return (targets[picks[i]].Untyped, increment, keys?[i]);
                }));

                Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} increments, sent {messages}");
                foreach (var index in new[] { 0, count / 2, count - 1, random.Next(count) })
                {
                    var counted = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetCount(), AskTimeout);
                    Check(counted == expected[index], $"counter {index} counted {counted}, expected {expected[index]}");
                }

                var result = Summarize(runtime, new Measured(messages, elapsed));
                if (keys is null)
                {
                    if (durable)
                    {
                        // Beside the keyed run's figure after its records settled: what the same sends hold without keys.
                        Console.WriteLine(FormattableString.Invariant($"# {name}: managed heap {GC.GetTotalMemory(forceFullCollection: true) >> 20} MB, rss_mb={ReadRssMegabytes()}"));
                    }

                    return result;
                }

                if (durable)
                {
                    await SettleDedupRecordsAsync(name, runtime, targets[0].Untyped);
                }

                var replay = await TimeAsync(runtime, () => SendAllAsync(runtime.Client, kept.Length, window, i => (targets[picks[i]].Untyped, kept[i], keys[i])));
                Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} increments after the replay, expected {messages}: a replayed send was delivered again");

                return result with { Extra = [("-replay", new RunResult(kept.Length / replay.TotalSeconds, 0, 0, ReadRssMegabytes()))] };
            }
            finally
            {
                folder?.Delete(recursive: true);
            }
        });

    /// <summary>
    /// Durable: records leave memory once a checkpoint holds their outcome, and a checkpoint starts only after a commit.
    /// So this asks (a commit each, no increment) every half second, at most a minute, until the table is within its
    /// limit, and prints how many records are in memory and in the store only, with the managed heap after a full
    /// collection.
    /// </summary>
    private static async Task SettleDedupRecordsAsync(string name, StatefulFunctionsRuntime runtime, Address target)
    {
        Console.WriteLine(FormattableString.Invariant($"# {name}: after the sends, dedup records in memory {runtime.Idempotency.Count:N0}, in the store only {runtime.Idempotency.Spilled:N0}"));
        var settling = Stopwatch.StartNew();
        while (runtime.Idempotency.Count > runtime.Options.IdempotencyKeysInMemory && settling.Elapsed < TimeSpan.FromMinutes(1))
        {
            await runtime.Client.AskAsync<int>(target, new GetCount(), AskTimeout);
            await Task.Delay(500);
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true) >> 20;
        Console.WriteLine(FormattableString.Invariant(
            $"# {name}: {settling.Elapsed.TotalSeconds:0.0} s later, dedup records in memory {runtime.Idempotency.Count:N0} (IdempotencyKeysInMemory {runtime.Options.IdempotencyKeysInMemory:N0}), in the store only {runtime.Idempotency.Spilled:N0}; managed heap {heap} MB, rss_mb={ReadRssMegabytes()}"));
    }

    /// <summary>Sends <paramref name="count"/> messages, with their key when they have one, <paramref name="window"/> at a time.</summary>
    private static async Task SendAllAsync(IStatefulFunctionsClient client, int count, int window, Func<int, (Address Target, object Message, string? Key)> make)
    {
        var pending = new List<Task>(window);
        for (var i = 0; i < count; i++)
        {
            var (target, message, key) = make(i);
            var sent = key is null ? client.SendAsync(target, message) : client.SendAsync(target, message, key);
            if (!sent.IsCompletedSuccessfully)
            {
                pending.Add(sent.AsTask());
            }

            if (pending.Count >= window || (window == 1 && pending.Count > 0))
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }
}

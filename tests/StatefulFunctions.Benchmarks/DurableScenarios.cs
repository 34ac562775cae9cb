using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StatefulFunctions.Benchmarks.Functions;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// The durable scenarios: the same workloads on LiteDB (<c>UseLiteDb</c>: commit log plus checkpoints) in a
/// fresh temporary folder per run. The client sends in windows (starts <see cref="Window"/> sends, then awaits them
/// all) so the group commit can batch them; awaiting each send alone would wait for one commit per message.
/// </summary>
internal sealed partial record Scenario
{
    /// <summary>How many sends the client has in flight before it awaits their acknowledgements.</summary>
    private const int Window = 10_000;

    /// <summary>The window of the cold-load phase: small, so a message's latency is mostly its own commit and load.</summary>
    private const int ColdWindow = 1_000;

    /// <summary>What a durable drive measured: everything handled, and the client's sends up to their acknowledgement.</summary>
    private readonly record struct DurableMeasured(Measured Total, Measured Sends);

    /// <summary>
    /// Services holding a runtime of <see cref="BenchModule"/>, configured as an application configures one
    /// (<c>AddStatefulFunctions</c>, with <c>UseLiteDb</c> at <paramref name="path"/>, in memory without one) but without
    /// a host: nothing starts or logs but the scenario. Disposing them disposes the runtime, then the store it opened.
    /// </summary>
    private static ServiceProvider OpenRuntime(string? path, int shards, long cacheBytes) =>
        new ServiceCollection()
            .AddStatefulFunctions(sf =>
            {
                sf.AddModule(new BenchModule()).Configure(o =>
                {
                    o.ShardCount = shards;
                    o.CacheBytes = cacheBytes;
                });
                if (path is not null)
                {
                    sf.UseLiteDb(path);
                }
            })
            .BuildServiceProvider();

    /// <summary>A scenario on a new durable runtime; adds a <c>-ack</c> line: SendAsync call to acknowledgement (commit).</summary>
    private static Scenario Durable(string name, long cacheBytes, Func<StatefulFunctionsRuntime, int, LatencyHistogram, Task<DurableMeasured>> drive) =>
        new(name, cacheBytes, async (messages, shards) =>
        {
            BenchStats.Reset();
            using var acks = new LatencyHistogram();
            var folder = Directory.CreateTempSubdirectory("sf-bench-");
            try
            {
                RunResult result;
                await using (var services = OpenRuntime(Path.Combine(folder.FullName, "bench.db"), shards, cacheBytes))
                {
                    var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();
                    await runtime.StartAsync();
                    var measured = await drive(runtime, messages, acks);
                    result = Summarize(runtime, measured.Total);
                    result = result with
                    {
                        Extra =
                        [
                            .. result.Extra,
                            ("-ack", new RunResult(
                                measured.Sends.Handled / measured.Sends.Elapsed.TotalSeconds,
                                acks.PercentileMicroseconds(50),
                                acks.PercentileMicroseconds(99),
                                result.RssMegabytes)),
                        ],
                    };
                }

                return result;
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });

    private static async Task<DurableMeasured> DurableOneHopAsync(StatefulFunctionsRuntime runtime, int messages, LatencyHistogram acks, bool zipf)
    {
        var (count, targets, picks, expected, random) = PickOneHopTargets(messages, zipf);
        var activation = await ActivateAllAsync(runtime, expected, () =>
            SendWindowedAsync(runtime.Client, count, Window, (i, now) => (targets[i].Untyped, new Increment(now)), acks: null));

        var sends = TimeSpan.Zero;
        var elapsed = await TimeAsync(runtime, async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await SendWindowedAsync(runtime.Client, messages, Window, (i, now) => (targets[picks[i]].Untyped, new Increment(now)), acks);
            sends = Stopwatch.GetElapsedTime(started);
        });

        Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} increments, sent {messages}");
        foreach (var index in new[] { 0, 1, count / 2, count - 1, random.Next(count) })
        {
            var counted = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetCount(), AskTimeout);
            Check(counted == expected[index], $"counter {index} counted {counted}, expected {expected[index]}");
        }

        return new DurableMeasured(new Measured(messages, elapsed) { Activation = activation }, new Measured(messages, sends));
    }

    /// <summary>
    /// One-hop increments offered at a fixed rate (<paramref name="offeredPerSecond"/>, paced every millisecond)
    /// instead of as fast as they are taken: the <c>-ack</c> line is then the acknowledgement latency a client sees
    /// below saturation, and its rate what was actually sent.
    /// </summary>
    private static async Task<DurableMeasured> DurableOfferedAsync(StatefulFunctionsRuntime runtime, int messages, LatencyHistogram acks, int offeredPerSecond)
    {
        var (count, targets, picks, expected, random) = PickOneHopTargets(messages, zipf: false);
        var activation = await ActivateAllAsync(runtime, expected, () =>
            SendWindowedAsync(runtime.Client, count, Window, (i, now) => (targets[i].Untyped, new Increment(now)), acks: null));

        var sends = TimeSpan.Zero;
        var elapsed = await TimeAsync(runtime, async () =>
        {
            var started = Stopwatch.GetTimestamp();
            var pending = new List<Task>();
            var sent = 0;
            while (sent < messages)
            {
                var due = (int)Math.Min(messages, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * offeredPerSecond));
                for (; sent < due; sent++)
                {
                    var sentAt = Stopwatch.GetTimestamp();
                    pending.Add(TrackAcknowledgement(runtime.Client.SendAsync(targets[picks[sent]].Untyped, new Increment(sentAt)).AsTask(), sentAt, acks));
                }

                if (pending.Count > 50_000)
                {
                    pending.RemoveAll(static task => task.IsCompletedSuccessfully);
                }

                await Task.Delay(1);
            }

            await Task.WhenAll(pending);
            sends = Stopwatch.GetElapsedTime(started);
        });

        Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} increments, sent {messages}");
        foreach (var index in new[] { 0, count / 2, count - 1, random.Next(count) })
        {
            var counted = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetCount(), AskTimeout);
            Check(counted == expected[index], $"counter {index} counted {counted}, expected {expected[index]}");
        }

        return new DurableMeasured(new Measured(messages, elapsed) { Activation = activation }, new Measured(messages, sends));
    }

    private static async Task<DurableMeasured> DurableTenHopAsync(StatefulFunctionsRuntime runtime, int messages, LatencyHistogram acks)
    {
        var chains = Math.Max(1, messages / ChainLink.ChainLength);
        var links = MakeAddresses(Math.Min(100_000, messages), "l", ChainLink.At);
        ChainLink.Links = links;
        var random = new Random(42);
        var starts = Enumerable.Range(0, chains).Select(_ => random.Next(links.Length)).ToArray();
        var sends = TimeSpan.Zero;
        var elapsed = await TimeAsync(runtime, async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await SendWindowedAsync(runtime.Client, chains, Window, (i, now) => (links[starts[i]].Untyped, new Hop(0, now)), acks);
            sends = Stopwatch.GetElapsedTime(started);
        });

        long expected = (long)chains * ChainLink.ChainLength;
        Check(BenchStats.Handled == expected, $"handled {BenchStats.Handled} hops, expected {expected}");
        return new DurableMeasured(new Measured(expected, elapsed), new Measured(chains, sends));
    }

    /// <summary>
    /// Writes <c>messages</c> addresses once (~100 bytes of state each), stops (final checkpoint), starts a new
    /// runtime on the same file and sends one message to each of <c>messages / 10</c> random addresses, all cold:
    /// the result is their handler latency (send to handler). A <c>-serial</c> line adds 1,000 more cold addresses
    /// sent one at a time (each send awaited), the latency of a cold message with no queue in front of it.
    /// </summary>
    private static Scenario ColdLoad(string name, long cacheBytes) =>
        new(name, cacheBytes, async (messages, shards) =>
        {
            var targets = MakeAddresses(messages, "b", Blob.At);
            var written = new string('x', 100);
            var folder = Directory.CreateTempSubdirectory("sf-bench-");
            var path = Path.Combine(folder.FullName, "bench.db");
            try
            {
                // Phase 1: write every address once, wait idle, stop (the final checkpoint is written).
                BenchStats.Reset();
                await using (var services = OpenRuntime(path, shards, cacheBytes))
                {
                    var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();
                    await runtime.StartAsync();
                    var elapsed = await TimeAsync(runtime, () =>
                        SendWindowedAsync(runtime.Client, messages, Window, (i, now) => (targets[i].Untyped, new SetPayload(written, now)), acks: null));
                    Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} payloads in the write phase, sent {messages}");
                    var deadLetters = runtime.Client.GetDeadLetters().Count;
                    Check(deadLetters == 0, $"{deadLetters} message(s) were dead-lettered in the write phase");
                    var stopping = Stopwatch.GetTimestamp();
                    await runtime.StopAsync();
                    Console.WriteLine(FormattableString.Invariant(
                        $"# {name}: write phase {messages} addresses in {elapsed.TotalSeconds:0.0} s ({messages / elapsed.TotalSeconds:0} msgs/s), stop with final checkpoint {Stopwatch.GetElapsedTime(stopping).TotalSeconds:0.0} s, rss_mb={ReadRssMegabytes()}"));
                }

                Console.WriteLine(FormattableString.Invariant(
                    $"# {name}: database {new FileInfo(path).Length >> 20} MB, log folder {DirectorySize(path + ".log") >> 20} MB (preallocated segments)"));
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();

                // Phase 2: a new runtime on the same file; every instance is cold.
                await using (var services = OpenRuntime(path, shards, cacheBytes))
                {
                    var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();
                    var starting = Stopwatch.GetTimestamp();
                    await runtime.StartAsync();
                    var startup = Stopwatch.GetElapsedTime(starting);

                    var coldCount = Math.Max(1, messages / 10);
                    var serialCount = Math.Min(1_000, Math.Max(0, messages - coldCount));
                    var random = new Random(42);
                    var order = Enumerable.Range(0, messages).ToArray();
                    random.Shuffle(order);
                    var cold = order.AsSpan(0, coldCount).ToArray();
                    var serial = order.AsSpan(coldCount, serialCount).ToArray();
                    var updated = new string('y', 101);

                    BenchStats.Reset();
                    var elapsed = await TimeAsync(runtime, () =>
                        SendWindowedAsync(runtime.Client, coldCount, ColdWindow, (i, now) => (targets[cold[i]].Untyped, new SetPayload(updated, now)), acks: null));
                    var coldDeadLetters = runtime.Client.GetDeadLetters();
                    Check(BenchStats.Handled == coldCount, $"handled {BenchStats.Handled} cold payloads, sent {coldCount}; {coldDeadLetters.Count} dead-lettered{(coldDeadLetters.Count > 0 ? ", the first: " + coldDeadLetters[0].Exception : "")}");
                    var result = new RunResult(
                        coldCount / elapsed.TotalSeconds,
                        BenchStats.Latency.PercentileMicroseconds(50),
                        BenchStats.Latency.PercentileMicroseconds(99),
                        ReadRssMegabytes());

                    BenchStats.Reset();
                    var serialStarted = Stopwatch.GetTimestamp();
                    foreach (var index in serial)
                    {
                        await runtime.Client.SendAsync(targets[index].Untyped, new SetPayload(updated, Stopwatch.GetTimestamp()));
                    }

                    await runtime.WhenIdleAsync();
                    var serialElapsed = Stopwatch.GetElapsedTime(serialStarted);
                    Check(BenchStats.Handled == serialCount, $"handled {BenchStats.Handled} serial cold payloads, sent {serialCount}");

                    // The state written before the restart is there, and the cold messages changed it.
                    var untouched = order.Skip(coldCount + serialCount).Take(3).ToArray();
                    foreach (var (index, length) in cold.Take(3).Concat(serial.Take(2)).Select(i => (i, updated.Length)).Concat(untouched.Select(i => (i, written.Length))))
                    {
                        var stored = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetPayloadLength(), AskTimeout);
                        Check(stored == length, $"blob {index} holds a payload of {stored} chars after the restart, expected {length}");
                    }

                    var deadLetters = runtime.Client.GetDeadLetters().Count;
                    Check(deadLetters == 0, $"{deadLetters} message(s) were dead-lettered in the cold phase");
                    Console.WriteLine(FormattableString.Invariant(
                        $"# {name}: restart (recovery) {startup.TotalMilliseconds:0} ms; cold phase {coldCount} messages in windows of {ColdWindow}, serial phase {serialCount} messages one at a time"));
                    return result with
                    {
                        Extra =
                        [
                            ("-serial", new RunResult(
                                serialCount / serialElapsed.TotalSeconds,
                                BenchStats.Latency.PercentileMicroseconds(50),
                                BenchStats.Latency.PercentileMicroseconds(99),
                                ReadRssMegabytes())),
                        ],
                    };
                }
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });

    /// <summary>
    /// Sends <paramref name="count"/> messages in windows: starts up to <paramref name="window"/> sends, then awaits
    /// them all. <paramref name="make"/> gets the index and the timestamp taken just before the send; when
    /// <paramref name="acks"/> is given, the time from that timestamp to the send's acknowledgement is recorded.
    /// </summary>
    private static async Task SendWindowedAsync(IStatefulFunctionsClient client, int count, int window, Func<int, long, (Address Target, object Message)> make, LatencyHistogram? acks)
    {
        var pending = new Task[Math.Min(window, count)];
        for (var first = 0; first < count; first += window)
        {
            var size = Math.Min(window, count - first);
            for (var i = 0; i < size; i++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                var (target, message) = make(first + i, sentAt);
                var sent = client.SendAsync(target, message).AsTask();
                pending[i] = acks is null ? sent : TrackAcknowledgement(sent, sentAt, acks);
            }

            await Task.WhenAll(pending.AsSpan(0, size));
        }
    }

    private static Task TrackAcknowledgement(Task sent, long sentAt, LatencyHistogram acks)
    {
        if (sent.IsCompleted)
        {
            acks.Record(Stopwatch.GetTimestamp() - sentAt);
            return sent;
        }

        return sent.ContinueWith(
            static (task, state) =>
            {
                var (histogram, at) = ((LatencyHistogram, long))state!;
                histogram.Record(Stopwatch.GetTimestamp() - at);
                task.GetAwaiter().GetResult();
            },
            (acks, sentAt),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static long DirectorySize(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}

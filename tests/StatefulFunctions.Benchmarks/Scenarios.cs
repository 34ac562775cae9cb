using System.Diagnostics;
using System.Globalization;
using StatefulFunctions.Benchmarks.Functions;

namespace StatefulFunctions.Benchmarks;

/// <summary>What one scenario run measured; <c>Extra</c> are further lines (name suffix and figures) a scenario reports.</summary>
internal sealed record RunResult(double MessagesPerSecond, double P50Microseconds, double P99Microseconds, long RssMegabytes)
{
    public IReadOnlyList<(string Suffix, RunResult Result)> Extra { get; init; } = [];
}

/// <summary>Messages handled in a scenario run, and the wall time from its first send to idle.</summary>
internal readonly record struct Measured(long Handled, TimeSpan Elapsed)
{
    /// <summary>
    /// The cold pass before the measured one, as the peers make it (the first message to every key, reported as a
    /// <c>-activate</c> line): the measured messages then reach warm instances, as theirs do.
    /// </summary>
    public (long Handled, TimeSpan Elapsed)? Activation { get; init; }
}

/// <summary>
/// A benchmark scenario: <c>Run(messages, shards)</c> sends <c>messages</c> through a fresh runtime (or, for the
/// baseline, a file) and checks what arrived.
/// </summary>
internal sealed partial record Scenario(string Name, long CacheBytes, Func<int, int, Task<RunResult>> Run)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<Scenario> All { get; } =
    [
        InMemory("inmemory-onehop-uniform", 256L << 20, (runtime, messages) => OneHopAsync(runtime, messages, zipf: false)),
        InMemory("inmemory-onehop-zipf", 256L << 20, (runtime, messages) => OneHopAsync(runtime, messages, zipf: true)),
        InMemory("inmemory-tenhop-chain", 256L << 20, TenHopAsync),
        InMemory("inmemory-1m-addresses-rss", 256L << 20, ManyAddressesAsync),
        Durable("litedb-onehop-uniform", 256L << 20, (runtime, messages, acks) => DurableOneHopAsync(runtime, messages, acks, zipf: false)),
        Durable("litedb-onehop-zipf", 256L << 20, (runtime, messages, acks) => DurableOneHopAsync(runtime, messages, acks, zipf: true)),
        Durable("litedb-tenhop-chain", 256L << 20, DurableTenHopAsync),
        Durable("litedb-onehop-offered-50k", 256L << 20, (runtime, messages, acks) => DurableOfferedAsync(runtime, messages, acks, 50_000)),
        Durable("litedb-onehop-offered-100k", 256L << 20, (runtime, messages, acks) => DurableOfferedAsync(runtime, messages, acks, 100_000)),
        new("raw-append", 0, (messages, _) => RawAppend.RunAsync(messages)),
        ColdLoad("litedb-1m-addresses-coldload", 256L << 20),
        Http("http-inmemory-onehop", durable: false),
        Http("http-litedb-onehop", durable: true),
        FlinkRemote("flink-remote-batch1", batchSize: 1),
        FlinkRemote("flink-remote-batch10", batchSize: 10),
        Send("inmemory-unkeyed-send", durable: false, keyed: false),
        Send("inmemory-keyed-send", durable: false, keyed: true),
        Send("litedb-unkeyed-send", durable: true, keyed: false),
        Send("litedb-keyed-send", durable: true, keyed: true),
    ];

    /// <summary>Runs once; throws <see cref="BenchmarkFailedException"/> when a check fails.</summary>
    public Task<RunResult> RunAsync(int messages, int shards) => Run(messages, shards);

    /// <summary>A scenario on a new in-memory runtime.</summary>
    private static Scenario InMemory(string name, long cacheBytes, Func<StatefulFunctionsRuntime, int, Task<Measured>> drive) =>
        new(name, cacheBytes, async (messages, shards) =>
        {
            BenchStats.Reset();
            await using var runtime = new StatefulFunctionsRuntime([new BenchModule()], new StatefulFunctionsOptions { ShardCount = shards, CacheBytes = cacheBytes });
            await runtime.StartAsync();
            var measured = await drive(runtime, messages);
            return Summarize(runtime, measured);
        });

    /// <summary>Checks that nothing was dead-lettered and reads the handler latencies and RSS.</summary>
    private static RunResult Summarize(StatefulFunctionsRuntime runtime, Measured measured)
    {
        var deadLetters = runtime.Client.GetDeadLetters().Count;
        Check(deadLetters == 0, $"{deadLetters} message(s) were dead-lettered");
        var rss = ReadRssMegabytes();
        return new RunResult(
            measured.Handled / measured.Elapsed.TotalSeconds,
            BenchStats.Latency.PercentileMicroseconds(50),
            BenchStats.Latency.PercentileMicroseconds(99),
            rss)
        {
            Extra = measured.Activation is { } activation
                ? [("-activate", new RunResult(activation.Handled / activation.Elapsed.TotalSeconds, 0, 0, rss))]
                : [],
        };
    }

    /// <summary>The targets of a one-hop run (seeded, uniform or Zipf over up to 100,000 counters) and the count each must end with.</summary>
    private static (int Count, Address<BenchCounter>[] Targets, int[] Picks, int[] Expected, Random Random) PickOneHopTargets(int messages, bool zipf)
    {
        var count = Math.Min(100_000, messages);
        var targets = MakeAddresses(count, "c", BenchCounter.At);
        var random = new Random(42);
        var sampler = zipf ? new ZipfSampler(count, 1.0) : null;
        var picks = new int[messages];
        var expected = new int[count];
        for (var i = 0; i < messages; i++)
        {
            picks[i] = sampler?.Next(random) ?? random.Next(count);
            expected[picks[i]]++;
        }
        return (count, targets, picks, expected, random);
    }

    private static async Task<Measured> OneHopAsync(StatefulFunctionsRuntime runtime, int messages, bool zipf)
    {
        var (count, targets, picks, expected, random) = PickOneHopTargets(messages, zipf);
        var activation = await ActivateAllAsync(runtime, expected, async () =>
        {
            foreach (var target in targets)
            {
                await runtime.Client.SendAsync(target.Untyped, new Increment(Stopwatch.GetTimestamp()));
            }
        });

        var elapsed = await TimeAsync(runtime, async () =>
        {
            var client = runtime.Client;
            foreach (var pick in picks)
            {
                var pending = client.SendAsync(targets[pick].Untyped, new Increment(Stopwatch.GetTimestamp()));
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
            }
        });

        Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} increments, sent {messages}");
        foreach (var index in new[] { 0, 1, count / 2, count - 1, random.Next(count) })
        {
            var counted = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetCount(), AskTimeout);
            Check(counted == expected[index], $"counter {index} counted {counted}, expected {expected[index]}");
        }

        return new Measured(messages, elapsed) { Activation = activation };
    }

    /// <summary>
    /// The cold pass: one increment to every counter (counted in <paramref name="expected"/>), then idle; the handler
    /// statistics start again after it, so the measured pass reports only its own messages.
    /// </summary>
    private static async Task<(long Handled, TimeSpan Elapsed)> ActivateAllAsync(StatefulFunctionsRuntime runtime, int[] expected, Func<Task> sendOneToEach)
    {
        var elapsed = await TimeAsync(runtime, sendOneToEach);
        Check(BenchStats.Handled == expected.Length, $"handled {BenchStats.Handled} activating increments, sent {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i]++;
        }

        BenchStats.Reset();
        return (expected.Length, elapsed);
    }

    private static async Task<Measured> TenHopAsync(StatefulFunctionsRuntime runtime, int messages)
    {
        var chains = Math.Max(1, messages / ChainLink.ChainLength);
        var links = MakeAddresses(Math.Min(100_000, messages), "l", ChainLink.At);
        ChainLink.Links = links;
        var random = new Random(42);
        var starts = Enumerable.Range(0, chains).Select(_ => random.Next(links.Length)).ToArray();
        var elapsed = await TimeAsync(runtime, async () =>
        {
            var client = runtime.Client;
            foreach (var start in starts)
            {
                var pending = client.SendAsync(links[start].Untyped, new Hop(0, Stopwatch.GetTimestamp()));
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
            }
        });

        long expected = (long)chains * ChainLink.ChainLength;
        Check(BenchStats.Handled == expected, $"handled {BenchStats.Handled} hops, expected {expected}");
        return new Measured(expected, elapsed);
    }

    private static async Task<Measured> ManyAddressesAsync(StatefulFunctionsRuntime runtime, int messages)
    {
        var targets = MakeAddresses(messages, "b", Blob.At);
        var payload = new string('x', 100);
        var elapsed = await TimeAsync(runtime, async () =>
        {
            var client = runtime.Client;
            foreach (var target in targets)
            {
                var pending = client.SendAsync(target.Untyped, new SetPayload(payload, Stopwatch.GetTimestamp()));
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
            }
        });

        Check(BenchStats.Handled == messages, $"handled {BenchStats.Handled} payloads, sent {messages}");
        foreach (var index in new[] { 0, messages / 2, messages - 1 })
        {
            var length = await runtime.Client.AskAsync<int>(targets[index].Untyped, new GetPayloadLength(), AskTimeout);
            Check(length == payload.Length, $"blob {index} holds a payload of {length} chars, expected {payload.Length}");
        }

        return new Measured(messages, elapsed);
    }

    /// <summary>Wall time from the first send to idle.</summary>
    private static async Task<TimeSpan> TimeAsync(StatefulFunctionsRuntime runtime, Func<Task> send)
    {
        var started = Stopwatch.GetTimestamp();
        await send();
        await runtime.WhenIdleAsync();
        return Stopwatch.GetElapsedTime(started);
    }

    private static Address<TFunction>[] MakeAddresses<TFunction>(int count, string prefix, Func<string, Address<TFunction>> at) =>
        Enumerable.Range(0, count).Select(i => at(prefix + i.ToString(CultureInfo.InvariantCulture))).ToArray();

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new BenchmarkFailedException(failure);
        }
    }

    internal static long ReadRssMegabytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return Environment.WorkingSet >> 20;
        }

        var line = File.ReadLines(path).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes >> 10;
    }
}

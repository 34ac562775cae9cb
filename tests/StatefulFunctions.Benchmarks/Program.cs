using System.Globalization;
using System.Runtime.InteropServices;
using StatefulFunctions.Benchmarks;

// dotnet run -c Release --project tests/StatefulFunctions.Benchmarks -- [--filter substring[,substring...]] [--messages N] [--repeat 3] [--shards N] [--alloc-profile]
string? filter = null;
var messages = 1_000_000;
var repeat = 1;
var shards = Environment.ProcessorCount;
var allocProfile = false;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--filter" when value is not null: filter = value; i++; break;
        case "--messages" when value is not null: messages = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--repeat" when value is not null: repeat = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--shards" when value is not null: shards = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--alloc-profile": allocProfile = true; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: [--filter substring[,substring...]] [--messages N] [--repeat N] [--shards N] [--alloc-profile]");
            return 2;
    }
}

if (messages < 1 || repeat < 1 || shards < 1)
{
    Console.Error.WriteLine("--messages, --repeat and --shards must be at least 1.");
    return 2;
}

Console.WriteLine(FormattableString.Invariant(
    $"# StatefulFunctions benchmarks: cores={Environment.ProcessorCount} dotnet={RuntimeInformation.FrameworkDescription} os={RuntimeInformation.OSDescription} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} messages={messages} repeat={repeat}"));

using var allocations = allocProfile ? new AllocationProfile() : null;
var failed = false;
var filters = filter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var rates = new Dictionary<string, double>(); // msgs_per_sec per scenario (median when repeated), for the ratios
foreach (var scenario in Scenario.All.Where(s => filters is null || filters.Any(f => s.Name.Contains(f, StringComparison.OrdinalIgnoreCase))))
{
    Console.WriteLine(FormattableString.Invariant($"# {scenario.Name}: ShardCount={shards} CacheBytes={scenario.CacheBytes}"));
    var results = new List<RunResult>();
    for (var run = 0; run < repeat; run++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            var gcBefore = GcFigures.Read();
            var result = await scenario.RunAsync(messages, shards);
            var gc = GcFigures.Read() - gcBefore;
            results.Add(result);
            Print(scenario.Name, result);
            allocations?.Print(messages);
            Console.WriteLine(FormattableString.Invariant(
                $"# gc name={scenario.Name} alloc_bytes_per_msg={gc.AllocatedBytes / (double)messages:0} gen0={gc.Gen0} gen1={gc.Gen1} gen2={gc.Gen2} pause_ms={gc.Pause.TotalMilliseconds:0}"));
            foreach (var (suffix, extra) in result.Extra)
            {
                Print(scenario.Name + suffix, extra);
            }
        }
        catch (BenchmarkFailedException exception)
        {
            Console.WriteLine($"FAILED name={scenario.Name}: {exception.Message}");
            failed = true;
        }
    }

    if (results.Count > 1)
    {
        Print(scenario.Name + "-median", new RunResult(
            Median(results.Select(r => r.MessagesPerSecond)),
            Median(results.Select(r => r.P50Microseconds)),
            Median(results.Select(r => r.P99Microseconds)),
            (long)Median(results.Select(r => (double)r.RssMegabytes))));
    }

    if (results.Count > 0)
    {
        rates[scenario.Name] = Median(results.Select(r => r.MessagesPerSecond));
    }
}

// Durable one-hop against the raw rate of appending with one fsync per batch (only when both ran).
if (rates.TryGetValue("litedb-onehop-uniform", out var durable) && rates.TryGetValue("raw-append", out var raw) && raw > 0)
{
    Console.WriteLine(FormattableString.Invariant($"RATIO litedb-onehop-uniform/raw-append={durable / raw:0.000}"));
}

// Keyed sends against the same sends without idempotency keys (only when both of a pair ran).
foreach (var storage in new[] { "inmemory", "litedb" })
{
    if (rates.TryGetValue($"{storage}-keyed-send", out var keyed) && rates.TryGetValue($"{storage}-unkeyed-send", out var unkeyed) && unkeyed > 0)
    {
        Console.WriteLine(FormattableString.Invariant($"RATIO {storage}-keyed-send/{storage}-unkeyed-send={keyed / unkeyed:0.000}"));
    }
}

return failed ? 1 : 0;

static void Print(string name, RunResult result) =>
    Console.WriteLine(FormattableString.Invariant(
        $"RESULT name={name} msgs_per_sec={(long)result.MessagesPerSecond} p50_us={result.P50Microseconds:0.0} p99_us={result.P99Microseconds:0.0} rss_mb={result.RssMegabytes}"));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>The garbage collector's counts for the whole process, to tell what a run allocated and paused.</summary>
internal readonly record struct GcFigures(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Pause)
{
    public static GcFigures Read() => new(
        GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcFigures operator -(GcFigures after, GcFigures before) => new(
        after.AllocatedBytes - before.AllocatedBytes, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Pause - before.Pause);
}

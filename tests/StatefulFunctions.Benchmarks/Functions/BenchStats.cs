using System.Diagnostics;

namespace StatefulFunctions.Benchmarks.Functions;

/// <summary>What the handlers record, outside function state: reset before each scenario run.</summary>
internal static class BenchStats
{
    private static long _handled;

    public static LatencyHistogram Latency { get; private set; } = new();

    public static long Handled => Interlocked.Read(ref _handled);

    public static void Reset()
    {
        Interlocked.Exchange(ref _handled, 0);
        Latency.Dispose();
        Latency = new LatencyHistogram();
    }

    /// <summary>Counts one handled message and records its latency since <paramref name="sentAt"/>.</summary>
    public static void Record(long sentAt)
    {
        Interlocked.Increment(ref _handled);
        Latency.Record(Stopwatch.GetTimestamp() - sentAt);
    }
}

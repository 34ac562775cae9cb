using System.Diagnostics;
using System.Numerics;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// A log-linear histogram of <see cref="Stopwatch"/> tick durations, one bucket array per thread (no contention),
/// merged when read. 16 linear sub-buckets per power of two: about 6% relative error.
/// </summary>
internal sealed class LatencyHistogram : IDisposable
{
    private const int SubBits = 4;
    private const int SubCount = 1 << SubBits;
    private const int BucketCount = (64 - SubBits + 1) * SubCount;

    private readonly ThreadLocal<long[]> _buckets = new(() => new long[BucketCount], trackAllValues: true);

    public void Record(long ticks) => _buckets.Value![IndexOf(Math.Max(ticks, 0))]++;

    /// <summary>The value below which <paramref name="percentile"/> (0–100) of the recorded durations lie, in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        var merged = new long[BucketCount];
        foreach (var buckets in _buckets.Values)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                merged[i] += buckets[i];
            }
        }

        var total = merged.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += merged[i];
            if (seen >= rank)
            {
                return MidpointOf(i) * 1_000_000.0 / Stopwatch.Frequency;
            }
        }

        return MidpointOf(BucketCount - 1) * 1_000_000.0 / Stopwatch.Frequency;
    }

    public void Dispose() => _buckets.Dispose();

    private static int IndexOf(long value)
    {
        if (value < SubCount)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value); // >= SubBits
        var sub = (int)(value >> (exponent - SubBits)) & (SubCount - 1);
        return ((exponent - SubBits + 1) * SubCount) + sub;
    }

    private static double MidpointOf(int index)
    {
        if (index < SubCount)
        {
            return index;
        }

        var exponent = (index / SubCount) + SubBits - 1;
        var sub = index % SubCount;
        var width = 1L << (exponent - SubBits);
        return ((SubCount + sub) * (double)width) + (width / 2.0);
    }
}

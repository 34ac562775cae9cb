namespace StatefulFunctions.Benchmarks;

/// <summary>Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s, by binary search in a precomputed CDF.</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cdf;

    public ZipfSampler(int n, double s)
    {
        _cdf = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, s);
            _cdf[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            _cdf[i] /= sum;
        }
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cdf, random.NextDouble());
        return Math.Min(index >= 0 ? index : ~index, _cdf.Length - 1);
    }
}

namespace StatefulFunctions.Benchmarks;

/// <summary>A scenario's check failed: what arrived is not what was sent.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);

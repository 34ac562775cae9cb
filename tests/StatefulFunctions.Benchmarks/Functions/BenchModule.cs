namespace StatefulFunctions.Benchmarks.Functions;

/// <summary>The module of the benchmark functions.</summary>
internal sealed class BenchModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module)
    {
    }
}

namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>The module of this test assembly's functions.</summary>
public sealed class TestModule : IStatefulFunctionModule
{
    public static readonly EgressId<string> Counts = new("tests/counts");

    public void Configure(IModuleBuilder module) => module.AddEgress(Counts).AddEgress(Relay.Out);
}

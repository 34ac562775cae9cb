namespace StatefulFunctions.CrashHost;

/// <summary>The crash test's module.</summary>
public sealed class CrashModule : IStatefulFunctionModule
{
    public static readonly EgressId<string> Events = new("crash/events");

    public void Configure(IModuleBuilder module) => module.AddEgress(Events);
}

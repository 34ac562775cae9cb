using Microsoft.Extensions.DependencyInjection;

namespace StatefulFunctions.CrashHost;

/// <summary>
/// The runtime of the crash workloads, configured as an application configures one (<c>AddStatefulFunctions</c> with
/// <c>UseLiteDb</c>) but without a generic host: no hosted service starts it and no logger writes to standard output,
/// which the crash tests read. Disposing the provider disposes the runtime, then the store it opened.
/// </summary>
public static class DurableServices
{
    /// <summary>
    /// Services holding a runtime of <paramref name="module"/> (<see cref="CrashModule"/> when null) on two shards over
    /// the LiteDB file <paramref name="db"/>, with more options set by <paramref name="configure"/>.
    /// </summary>
    public static ServiceProvider Open(string db, Action<StatefulFunctionsOptions>? configure = null, IStatefulFunctionModule? module = null) =>
        new ServiceCollection()
            .AddStatefulFunctions(sf => sf.UseLiteDb(db).AddModule(module ?? new CrashModule()).Configure(o =>
            {
                o.ShardCount = 2;
                configure?.Invoke(o);
            }))
            .BuildServiceProvider();
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Hosting;

/// <summary>Configures the stateful functions of an application: its modules, its store and its options.</summary>
public sealed class StatefulFunctionsBuilder
{
    private readonly List<Func<IServiceProvider, IStatefulFunctionModule>> _modules = new();
    private readonly List<Action<StatefulFunctionsOptions>> _configure = new();
    private Func<IServiceProvider, IStateStore> _store = static _ => new InMemoryStateStore();

    internal StatefulFunctionsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a module; the generated functions of its assembly come with it. The module is created from the
    /// application's services, so its constructor may take any registered service (a logger, the configuration,
    /// <c>IHostApplicationLifetime</c>).
    /// </summary>
    public StatefulFunctionsBuilder AddModule<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TModule>()
        where TModule : IStatefulFunctionModule
    {
        _modules.Add(static services => ActivatorUtilities.GetServiceOrCreateInstance<TModule>(services));
        return this;
    }

    /// <summary>Adds a module instance; the generated functions of its assembly come with it.</summary>
    public StatefulFunctionsBuilder AddModule(IStatefulFunctionModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _modules.Add(_ => module);
        return this;
    }

    /// <summary>
    /// Stores everything durably in one embedded LiteDB file (checkpoints) with a commit log beside it
    /// (<c>&lt;path&gt;.log/</c>): state, messages, timers and egress are exactly-once across crashes.
    /// </summary>
    /// <param name="path">The database file, e.g. <c>data/app.db</c>; its folder is created when missing.</param>
    public StatefulFunctionsBuilder UseLiteDb(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Services.AddSingleton(_ => new LiteDbStateStore(path));
        return UseStateStore(static services => services.GetRequiredService<LiteDbStateStore>());
    }

    /// <summary>Keeps state in process memory: for tests and throwaway runs (the default until a durable store is chosen).</summary>
    public StatefulFunctionsBuilder UseInMemoryStorage() => UseStateStore(static _ => new InMemoryStateStore());

    /// <summary>
    /// Uses a custom state store. Only <see cref="UseLiteDb"/> gives the commit log and with it exactly-once across
    /// crashes; with any other store the runtime keeps its guarantees within one process, as in memory.
    /// </summary>
    public StatefulFunctionsBuilder UseStateStore(Func<IServiceProvider, IStateStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _store = factory;
        return this;
    }

    /// <summary>Tunes the runtime.</summary>
    public StatefulFunctionsBuilder Configure(Action<StatefulFunctionsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure.Add(configure);
        return this;
    }

    internal IEnumerable<IStatefulFunctionModule> CreateModules(IServiceProvider services) => _modules.Select(m => m(services));

    internal IStateStore CreateStore(IServiceProvider services) => _store(services);

    internal StatefulFunctionsOptions CreateOptions()
    {
        var options = new StatefulFunctionsOptions();
        foreach (var configure in _configure)
        {
            configure(options);
        }

        return options;
    }
}

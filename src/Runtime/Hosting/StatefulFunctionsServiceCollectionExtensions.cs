using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Hosting;

namespace StatefulFunctions;

/// <summary>Adds stateful functions to a Microsoft.Extensions.Hosting application.</summary>
public static class StatefulFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime (started and stopped by a hosted service) and <see cref="IStatefulFunctionsClient"/>:
    /// <c>services.AddStatefulFunctions(sf => sf.UseInMemoryStorage().AddModule&lt;RidesModule&gt;())</c>.
    /// </summary>
    public static IServiceCollection AddStatefulFunctions(this IServiceCollection services, Action<StatefulFunctionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new StatefulFunctionsBuilder(services);
        configure(builder);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new StatefulFunctionsRuntime(
            builder.CreateModules(provider),
            builder.CreateOptions(),
            builder.CreateStore(provider),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()));
        services.AddSingleton(provider => provider.GetRequiredService<StatefulFunctionsRuntime>().Client);
        services.AddSingleton<IHostedService, StatefulFunctionsHostedService>();
        return services;
    }
}

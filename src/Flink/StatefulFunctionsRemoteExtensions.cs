using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefulFunctions.Flink;
using StatefulFunctions.Hosting;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

/// <summary>Serves an application's functions to an Apache Flink StateFun cluster (its remote-function protocol).</summary>
public static class StatefulFunctionsRemoteExtensions
{
    /// <summary>
    /// Adds the functions of the modules to serve to StateFun with <see cref="MapStatefulFunctionsRemote"/>, without the
    /// embedded runtime: state, messaging, timers and exactly-once are the cluster's. The store chosen on the builder
    /// is not used, and the modules' ingress sources are not started (ingresses are the cluster's too).
    /// </summary>
    public static IServiceCollection AddStatefulFunctionsRemote(this IServiceCollection services, Action<StatefulFunctionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new StatefulFunctionsBuilder(services);
        configure(builder);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var model = new ApplicationModel();
            foreach (var module in builder.CreateModules(provider))
            {
                model.AddModule(module);
            }

            model.Validate();
            return new RemoteApplication(model);
        });
        return services;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>, the remote-function endpoint of every function type in the application's modules
    /// (from <see cref="AddStatefulFunctionsRemote"/>, or from <c>AddStatefulFunctions</c> to serve the same functions
    /// both ways). Point a StateFun cluster at it with an <c>io.statefun.endpoints.v2/http</c> endpoint whose
    /// <c>urlPathTemplate</c> is this URL: the target address in each request picks the function.
    /// </summary>
    public static RouteHandlerBuilder MapStatefulFunctionsRemote(this IEndpointRouteBuilder endpoints, string pattern = "/statefun", Action<RemoteFunctionsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var options = new RemoteFunctionsOptions();
        configure?.Invoke(options);
        options.Validate();

        var services = endpoints.ServiceProvider;
        var model = services.GetService<RemoteApplication>()?.Model
            ?? services.GetService<StatefulFunctionsRuntime>()?.Services.Model
            ?? throw new InvalidOperationException(
                "MapStatefulFunctionsRemote found no functions: add them first with services.AddStatefulFunctionsRemote(sf => sf.AddModule<MyModule>()).");
        var catalog = new RemoteFunctionCatalog(model, options);
        var handler = new RemoteInvocationHandler(catalog, services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetService<ILoggerFactory>());
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("StatefulFunctions.Flink") ?? NullLogger.Instance;
        var endpoint = new RemoteFunctionsEndpoint(handler, options, logger);

        // Mapped as a delegate (not a RequestDelegate) so that the endpoint gets OpenAPI metadata. No Accepts(): its
        // content-type matching would answer a bare 415, where the endpoint's own check says what is expected.
        return endpoints.MapPost(pattern, (Func<HttpContext, Task>)endpoint.HandleAsync)
            .WithName("StatefulFunctionsRemote")
            .WithDisplayName("StateFun remote functions")
            .Produces(StatusCodes.Status200OK, contentType: RemoteFunctionsEndpoint.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
    }
}

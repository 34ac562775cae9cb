using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StatefulFunctions.AspNetCore;

/// <summary>How the application's own endpoints answer the runtime's failures.</summary>
public sealed class StatefulFunctionsProblemOptions
{
    /// <summary>
    /// Whether the answer to a dead-lettered ask also names the handler's last exception (type and message; default
    /// no, the dead letter and the log have it). An exception's message can tell a client about internals, so say yes
    /// only for clients that may know them.
    /// </summary>
    public bool ShowHandlerFailures { get; set; }
}

/// <summary>Answers the runtime's failures that reach the application's own endpoints with problem details.</summary>
public static class StatefulFunctionsExceptionHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Lets <c>app.UseExceptionHandler()</c> answer what an ask in the application's own endpoint (a minimal API,
    /// a controller) throws as the runtime's endpoints answer it, with problem details (RFC 9457):
    /// <list type="bullet">
    /// <item><see cref="DeadLetterException"/> — 500 "The handler failed", naming the dead letter to re-drive;</item>
    /// <item><see cref="AskTimeoutException"/> — 504 "No reply in time" (the message is still handled);</item>
    /// <item><see cref="IdempotencyConflictException"/> — 409 naming the key reused for a different message.</item>
    /// </list>
    /// Any other exception is left to the next exception handler (or the default 500). Also adds the problem details
    /// service that <c>UseExceptionHandler()</c> needs.
    /// </summary>
    public static IServiceCollection AddStatefulFunctionsExceptionHandler(this IServiceCollection services, Action<StatefulFunctionsProblemOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new StatefulFunctionsProblemOptions();
        configure?.Invoke(options);
        services.AddProblemDetails();
        services.RemoveAll<StatefulFunctionsExceptionHandler>();
        services.AddSingleton(new StatefulFunctionsExceptionHandler(options));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, StatefulFunctionsExceptionHandler>(provider => provider.GetRequiredService<StatefulFunctionsExceptionHandler>()));
        return services;
    }
}

/// <summary>The exception handler that <see cref="StatefulFunctionsExceptionHandlerServiceCollectionExtensions.AddStatefulFunctionsExceptionHandler"/> adds.</summary>
internal sealed class StatefulFunctionsExceptionHandler(StatefulFunctionsProblemOptions options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemHttpResult? problem = exception switch
        {
            DeadLetterException deadLetter => Problems.HandlerFailed(deadLetter, options.ShowHandlerFailures),
            AskTimeoutException timeout => Problems.Timeout(timeout),

            // The message types stay unnamed: the application's endpoint may have sent one that is not public.
            IdempotencyConflictException conflict => Problems.IdempotencyConflict(conflict, _ => false),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        await problem.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}

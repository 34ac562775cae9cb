using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefulFunctions.AspNetCore;

namespace StatefulFunctions;

/// <summary>Maps the HTTP endpoints of a stateful functions application.</summary>
public static class StatefulFunctionsEndpointRouteBuilderExtensions
{
    private static readonly string[] HealthMethods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>
    /// Maps, under <paramref name="prefix"/>:
    /// <list type="bullet">
    /// <item><c>POST {namespace}/{type}/{id}</c> — send one message (202 once durable; with <c>Prefer: wait=N</c>, ask;
    /// with an <c>Idempotency-Key</c> header, at most once per key within the dedup window);</item>
    /// <item><c>POST {namespace}/{type}/{id}/ask</c> — send and wait for the reply (<c>?timeout=N</c> seconds; 504 when none);</item>
    /// <item><c>POST ingress/{name}/{**path}</c> — a request to an HTTP ingress declared with <c>AddHttpIngress</c>;</item>
    /// <item><c>GET egress/{namespace}/{name}</c> — an egress's records as server-sent events or by long-poll;</item>
    /// <item><c>GET health/live</c> and <c>GET health/ready</c> — liveness and readiness (also <c>HEAD</c>).</item>
    /// </list>
    /// The message type of a body is named by its content type, <c>application/vnd.{message type}+json</c>, or by a
    /// <c>Message-Type</c> header with <c>application/json</c> or <c>application/x-memorypack</c>. Bad requests get a
    /// problem-details answer naming the problem, and nothing is sent; a path of these endpoints with another method
    /// gets 405 with an <c>Allow</c> header. The first segments <c>ingress</c>, <c>egress</c> and <c>health</c> are the
    /// endpoints': a function type in one of those namespaces cannot be reached over HTTP.
    /// </summary>
    public static RouteGroupBuilder MapStatefulFunctions(this IEndpointRouteBuilder endpoints, string prefix = "/functions", Action<StatefulFunctionsHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new StatefulFunctionsHttpOptions();
        configure?.Invoke(options);
        var services = endpoints.ServiceProvider.GetRequiredService<StatefulFunctionsRuntime>().Services;
        var loggers = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>();
        var messages = new MessageEndpoints(services, options, prefix.TrimEnd('/'), loggers.CreateLogger<MessageEndpoints>());
        var ingresses = new IngressEndpoints(services, options, loggers.CreateLogger<IngressEndpoints>());
        var egresses = new EgressEndpoints(services, options);

        var group = endpoints.MapGroup(prefix).WithTags("StatefulFunctions");

        var ingress = group.MapPost("/ingress/{name}/{**path}", (HttpContext http, string name, string? path) => ingresses.IngestAsync(http, name, path))
            .WithName("StatefulFunctionsIngress")
            .WithSummary("Sends an HTTP request to a routed ingress")
            .WithDescription("The ingress's router maps the request (path, query, headers, JSON body) to messages for one or more addresses. 202 once they are durable. With an Idempotency-Key header (or a key the ingress derives from the request), a retry within the dedup window is answered 202 again and sends nothing; the same key with a different request gets 409.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        var egress = group.MapGet("/egress/{namespace}/{name}", (HttpContext http, string @namespace, string name) => egresses.ReadAsync(http, @namespace, name))
            .WithName("StatefulFunctionsEgress")
            .WithSummary("Reads the records of an egress")
            .WithDescription("With 'Accept: text/event-stream': server-sent events, each with the record id as its id; reconnect with Last-Event-ID. Otherwise long-poll: a JSON batch (?max=, ?wait= seconds); the next request's ?after= is the last id handled. Records up to the cursor are acknowledged; later ones are sent again (at-least-once: de-duplicate by id). One consumer per egress at a time.")
            .Produces<EgressBatch>()
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // HEAD as well, for probes that ask for the status only (Kestrel sends no body with a HEAD answer).
        var live = group.MapMethods("/health/live", HealthMethods, () => services.StorageFailure is { } failure
                ? Problems.Unavailable($"The durable storage failed ({failure.GetType().Name}: {failure.Message}); restart the application, it recovers from the commit log.")
                : (IResult)TypedResults.Ok(new HealthStatus("live")))
            .WithName("StatefulFunctionsLive")
            .WithSummary("Liveness: the process works (its commit log has not failed)")
            .Produces<HealthStatus>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var ready = group.MapMethods("/health/ready", HealthMethods, () => services.IsAcceptingWork
                ? (IResult)TypedResults.Ok(new HealthStatus("ready"))
                : Problems.Unavailable(services.StorageFailure is { } failure
                    ? $"The durable storage failed ({failure.GetType().Name}: {failure.Message}); restart the application, it recovers from the commit log."
                    : "The runtime is not started, is stopping, or has stopped."))
            .WithName("StatefulFunctionsReady")
            .WithSummary("Readiness: the runtime accepts messages")
            .Produces<HealthStatus>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var send = group.MapPost("/{namespace}/{type}/{id}", (HttpContext http, string @namespace, string type, string id) => messages.SendAsync(http, @namespace, type, id))
            .WithName("StatefulFunctionsSend")
            .WithSummary("Sends one message to the function at an address")
            .WithDescription("Content-Type names the message type: application/vnd.{message type}+json, or application/json or application/x-memorypack with a Message-Type header. 202 once the message is durable; with 'Prefer: wait=N' the reply is awaited as by /ask. With an Idempotency-Key header, a retry within the dedup window (default 24 h) is answered 202 again and not delivered again; the same key with a different message gets 409.")
            .Produces<SendAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var ask = group.MapPost("/{namespace}/{type}/{id}/ask", (HttpContext http, string @namespace, string type, string id) => messages.AskAsync(http, @namespace, type, id))
            .WithName("StatefulFunctionsAsk")
            .WithSummary("Sends one message and waits for the function's reply")
            .WithDescription("As send; answers 200 with the reply as JSON (204 for a null reply), 504 when none came within ?timeout=N seconds (default 30, at least 0.001), or 500 naming the dead letter when the handler failed on every attempt. The message is handled even when the wait ends. With an Idempotency-Key header, a retry gets the original message's reply instead of sending it again; the same key with a different message gets 409.")
            .Produces<object>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        Authorize(options.SendPolicy, send, ask, ingress);
        Authorize(options.EgressPolicy, egress);
        Authorize(options.HealthPolicy, live, ready);
        if (options.AllowAnonymousHealth)
        {
            live.AllowAnonymous();
            ready.AllowAnonymous();
        }

        // Anything else under the prefix: 405 naming the methods when an endpoint has the path (this route takes any
        // method, so routing's own 405 never comes), else a 404 naming what exists, rather than an empty one.
        group.Map("/{**rest}", (HttpContext http, string? rest) => EndpointPaths.Unmatched(http, EndpointPaths.SegmentsOf(rest), prefix.TrimEnd('/')))
            .ExcludeFromDescription();

        return group;
    }

    private static void Authorize(string? policy, params RouteHandlerBuilder[] endpoints)
    {
        if (policy is null)
        {
            return;
        }

        foreach (var endpoint in endpoints)
        {
            endpoint.RequireAuthorization(policy);
        }
    }
}

/// <summary>The body of a health answer.</summary>
/// <param name="Status"><c>live</c> or <c>ready</c>.</param>
public sealed record HealthStatus(string Status);

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore;

/// <summary><c>POST {prefix}/ingress/{name}/{**path}</c>: a request to a routed HTTP ingress.</summary>
internal sealed class IngressEndpoints(RuntimeServices services, StatefulFunctionsHttpOptions options, ILogger logger)
{
    public async Task<IResult> IngestAsync(HttpContext http, string name, string? path)
    {
        IngressId<HttpIngressRequest> ingress;
        try
        {
            ingress = HttpIngressModuleBuilderExtensions.IngressIdOf(name);
        }
        catch (ArgumentException)
        {
            return Problems.NotFound("Unknown ingress", $"'{name}' is not an ingress name.");
        }

        if (!services.Model.Ingresses.TryGetValue(ingress.Name, out var registration) || registration.EventType != typeof(HttpIngressRequest))
        {
            return Problems.NotFound("Unknown ingress", $"No HTTP ingress '{name}' is declared (module.AddHttpIngress(\"{name}\", router)).");
        }

        var (body, unreadable) = await HttpRequestBody.ReadAsync(http.Request, options.MaxBodyBytes, logger, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return unreadable!;
        }

        JsonElement? json = null;
        if (body.Length > 0)
        {
            if (http.Request.ContentType is not { } contentType || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return Problems.UnsupportedMediaType($"The body of an HTTP ingress request is JSON: send it as 'application/json', not '{http.Request.ContentType}'.");
            }

            try
            {
                using var document = JsonDocument.Parse(MessageJson.WithoutByteOrderMark(body.AsMemory()));
                json = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                return Problems.BadRequest("Invalid body", $"The body is not valid JSON: {exception.Message}");
            }
        }

        if (!MessageEndpoints.TryReadIdempotencyKey(http.Request, out var key, out var problem))
        {
            return problem;
        }

        var request = new HttpIngressRequest(
            http.Request.Method,
            path ?? "",
            http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            json);
        try
        {
            key ??= DerivedKey(registration, request);
            await (key is null
                ? services.Client.IngestAsync(ingress, request, CancellationToken.None)
                : services.Client.IngestAsync(ingress, request, key, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (IdempotencyConflictException exception)
        {
            return Problems.IdempotencyConflict(exception, canName: _ => false); // a router's messages may be internal
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException or KeyNotFoundException)
        {
            return Problems.BadRequest("Request refused by the router", $"The router of ingress '{name}' refused the request: {exception.Message}");
        }
        catch (InvalidOperationException exception)
        {
            return Problems.Unavailable(exception.Message);
        }

        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The key the ingress's key function (<c>AddHttpIngress(name, router, idempotencyKey)</c>) derives, if it has one.</summary>
    private static string? DerivedKey(IngressRegistration registration, HttpIngressRequest request) =>
        registration is IngressRegistration<HttpIngressRequest> http
            ? http.Routers.OfType<KeyedHttpRouter>().Select(r => r.KeyOf(request)).FirstOrDefault(k => k is not null)
            : null;
}

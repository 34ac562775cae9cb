namespace StatefulFunctions.AspNetCore;

/// <summary>Declares ingresses that take HTTP requests.</summary>
public static class HttpIngressModuleBuilderExtensions
{
    /// <summary>The namespace of the ingress ids of HTTP ingresses: <c>http/{name}</c>.</summary>
    public const string IngressNamespace = "http";

    /// <summary>
    /// Adds the HTTP ingress <paramref name="name"/>: requests to <c>POST {prefix}/ingress/{name}/{**path}</c> are given
    /// to <paramref name="router"/>, which forwards messages to one or more addresses. The answer is 202 once they are
    /// all durable; a router that throws gets 400 with its message, and nothing is sent.
    /// </summary>
    /// <returns>The ingress id (<c>http/{name}</c>), to ingest requests in tests without HTTP.</returns>
    public static IngressId<HttpIngressRequest> AddHttpIngress(this IModuleBuilder module, string name, IRouter<HttpIngressRequest> router)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(router);
        var ingress = IngressIdOf(name);
        module.AddRouter(ingress, router);
        return ingress;
    }

    /// <summary>
    /// Adds the HTTP ingress <paramref name="name"/> as <see cref="AddHttpIngress(IModuleBuilder, string, IRouter{HttpIngressRequest})"/>
    /// does, with an idempotency key derived from each request by <paramref name="idempotencyKey"/> (for example an
    /// event id in the body, or a header the sender sets): a request whose key was already accepted within the dedup
    /// window is answered 202 again and sends nothing. A request's own <c>Idempotency-Key</c> header, when present,
    /// takes precedence; when both give nothing, the request is sent without a key.
    /// </summary>
    /// <returns>The ingress id (<c>http/{name}</c>), to ingest requests in tests without HTTP.</returns>
    public static IngressId<HttpIngressRequest> AddHttpIngress(this IModuleBuilder module, string name, IRouter<HttpIngressRequest> router, Func<HttpIngressRequest, string?> idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return module.AddHttpIngress(name, new KeyedHttpRouter(router, idempotencyKey));
    }

    internal static IngressId<HttpIngressRequest> IngressIdOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new IngressId<HttpIngressRequest>($"{IngressNamespace}/{name}");
    }
}

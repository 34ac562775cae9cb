namespace StatefulFunctions.AspNetCore;

/// <summary>
/// A router of an HTTP ingress that also derives the idempotency key of each request; routing is the inner router's.
/// The ingress endpoint finds it among the ingress's routers.
/// </summary>
internal sealed class KeyedHttpRouter(IRouter<HttpIngressRequest> router, Func<HttpIngressRequest, string?> idempotencyKey) : IRouter<HttpIngressRequest>
{
    public string? KeyOf(HttpIngressRequest request) => idempotencyKey(request);

    public void Route(HttpIngressRequest @event, IDownstream downstream) => router.Route(@event, downstream);
}

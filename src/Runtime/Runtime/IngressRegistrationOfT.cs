using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>An ingress of events of <typeparamref name="T"/>.</summary>
internal sealed class IngressRegistration<T>(TypeName name) : IngressRegistration(name)
{
    public IIngress<T>? Source { get; set; }

    public List<IRouter<T>> Routers { get; } = new();

    public override Type EventType => typeof(T);

    public override bool HasSource => Source is not null;

    public override int RouterCount => Routers.Count;

    public override async Task PumpAsync(StatefulFunctionsRuntime runtime, CancellationToken cancellationToken)
    {
        if (Source is null)
        {
            return;
        }

        await foreach (var @event in Source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await RouteAsync(runtime, @event!, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask RouteAsync(StatefulFunctionsRuntime runtime, object @event, CancellationToken cancellationToken)
    {
        // One producer span per event, current while its messages are sent (they carry its context); in this async
        // method, so it never stays current in the caller.
        using var activity = RuntimeTracing.StartIngest(this);
        var downstream = new CollectingDownstream();
        foreach (var router in Routers)
        {
            router.Route((T)@event, downstream);
        }

        foreach (var (target, message) in downstream.Messages)
        {
            await runtime.SendAsync(target, message, caller: null, reply: null, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class CollectingDownstream : IDownstream
    {
        public List<(Address Target, object Message)> Messages { get; } = new();

        public void Forward(Address target, object message)
        {
            ArgumentNullException.ThrowIfNull(message);
            Messages.Add((target, message));
        }
    }
}

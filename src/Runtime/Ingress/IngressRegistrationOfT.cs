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
            await RouteAsync(runtime, @event!, idempotencyKey: null, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask RouteAsync(StatefulFunctionsRuntime runtime, object @event, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // One producer span per event, current while its messages are sent (they carry its context); in this async
        // method, so it never stays current in the caller.
        using var activity = RuntimeTracing.StartIngest(this);
        var downstream = new CollectingDownstream();
        foreach (var router in Routers)
        {
            router.Route((T)@event, downstream);
        }

        if (idempotencyKey is not null)
        {
            await SendKeyedAsync(runtime, downstream.Messages, idempotencyKey, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Every message of an event is checked before the first is sent: an event is refused whole, not in part.
        foreach (var (target, message) in downstream.Messages)
        {
            runtime.CheckDeliverable(target, message);
        }

        foreach (var (target, message) in downstream.Messages)
        {
            await runtime.SendAsync(target, message, caller: null, reply: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the messages of one keyed event, each with its derived key. Every message is checked for a conflict before
    /// the first is sent, so a retry with a different event sends nothing.
    /// </summary>
    private static async ValueTask SendKeyedAsync(StatefulFunctionsRuntime runtime, List<(Address Target, object Message)> messages, string idempotencyKey, CancellationToken cancellationToken)
    {
        var ordinals = new Dictionary<Address, int>();
        var keyed = new List<(Address Target, object Message, string Key)>(messages.Count);
        foreach (var (target, message) in messages)
        {
            var ordinal = ordinals[target] = ordinals.GetValueOrDefault(target) + 1;
            var key = IdempotencyKeys.Derive(idempotencyKey, ordinal);
            var (stored, hash) = runtime.PrepareKeyed(target, message, key, cancellationToken);
            runtime.CheckNoConflict(target, key, stored.Name, hash);
            keyed.Add((target, message, key));
        }

        foreach (var (target, message, key) in keyed)
        {
            await runtime.SendAsync(target, message, key, cancellationToken).ConfigureAwait(false);
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

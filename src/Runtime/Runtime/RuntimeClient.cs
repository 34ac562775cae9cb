namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="IStatefulFunctionsClient"/> of a runtime.</summary>
internal sealed class RuntimeClient(StatefulFunctionsRuntime runtime) : IStatefulFunctionsClient
{
    public ValueTask SendAsync(Address target, object message, CancellationToken cancellationToken = default) =>
        runtime.SendAsync(target, message, caller: null, reply: null, cancellationToken);

    public async Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await runtime.SendAsync(target, message, caller: null, reply, cancellationToken).ConfigureAwait(false);
        object? answer;
        try
        {
            answer = await reply.Task.WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"No reply from {target} to {message.GetType().FullName} within {timeout}.", exception);
        }

        return answer is TReply typed
            ? typed
            : throw new InvalidCastException($"{target} replied with {answer?.GetType().FullName ?? "null"}, not the {typeof(TReply).FullName} that AskAsync expected.");
    }

    public ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(@event);
        if (!runtime.Model.Ingresses.TryGetValue(ingress.Name, out var registration) || registration.EventType != typeof(T))
        {
            throw new InvalidOperationException($"Ingress '{ingress.Name}' of {typeof(T).FullName} is not declared: add a router for it with module.AddRouter(...).");
        }

        return registration.RouteAsync(runtime, @event, cancellationToken);
    }

    public IAsyncEnumerable<T> ReadEgressAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default) =>
        runtime.Egress.ReadAsync(egress, cancellationToken);

    public IReadOnlyList<DeadLetter> GetDeadLetters() => runtime.GetDeadLetters();
}

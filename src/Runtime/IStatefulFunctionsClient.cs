namespace StatefulFunctions;

/// <summary>Talks to the running application from outside a function (from DI).</summary>
public interface IStatefulFunctionsClient
{
    /// <summary>Sends a message; returns once the runtime has accepted it.</summary>
    ValueTask SendAsync(Address target, object message, CancellationToken cancellationToken = default);

    /// <summary>Sends a message and waits for the handler's <see cref="IContext.Reply"/>.</summary>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="TReply"/>.</exception>
    /// <exception cref="DeadLetterException">The handler failed on every attempt.</exception>
    Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event to an in-process ingress; its routers decide where it goes.</summary>
    ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, CancellationToken cancellationToken = default);

    /// <summary>Reads (and consumes) the records of an egress, waiting for new ones until cancelled.</summary>
    IAsyncEnumerable<T> ReadEgressAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default);

    /// <summary>The messages whose handler failed on every attempt.</summary>
    IReadOnlyList<DeadLetter> GetDeadLetters();
}

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

    /// <summary>
    /// Reads the records of an egress, waiting for new ones until cancelled. What has been read is acknowledged in
    /// batches (whenever the reader has caught up, and every 1,000 records), so delivery is at-least-once: with a
    /// durable store, records read shortly before a crash or a stop may be delivered again after the restart.
    /// To acknowledge each record only once it has been handled, use <see cref="ReadEgressRecordsAsync{T}"/>.
    /// </summary>
    IAsyncEnumerable<T> ReadEgressAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records of an egress with their ids, waiting for new ones until cancelled. A record stays in the
    /// egress until <see cref="AcknowledgeEgressAsync{T}"/>; with durable storage, records not acknowledged before a
    /// restart are read again (at least once), and an acknowledged one never is.
    /// </summary>
    IAsyncEnumerable<EgressRecord<T>> ReadEgressRecordsAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a record read with <see cref="ReadEgressRecordsAsync{T}"/>; returns once that is durable.</summary>
    ValueTask AcknowledgeEgressAsync<T>(EgressId<T> egress, long recordId, CancellationToken cancellationToken = default);

    /// <summary>The messages whose handler failed on every attempt.</summary>
    IReadOnlyList<DeadLetter> GetDeadLetters();

    /// <summary>Removes a dead letter and sends its message again, to the same address, from the same caller.</summary>
    /// <exception cref="KeyNotFoundException">There is no dead letter with that id.</exception>
    ValueTask RedriveDeadLetterAsync(long deadLetterId, CancellationToken cancellationToken = default);
}

namespace StatefulFunctions;

/// <summary>Talks to the running application from outside a function (from DI).</summary>
public interface IStatefulFunctionsClient
{
    /// <summary>Sends a message; returns once the runtime has accepted it.</summary>
    ValueTask SendAsync(Address target, object message, CancellationToken cancellationToken = default);

    /// <summary>Sends a message and waits for the handler's <see cref="IContext.Reply"/>.</summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="TReply"/>.</exception>
    /// <exception cref="DeadLetterException">The handler failed on every attempt.</exception>
    Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a message at most once per <paramref name="idempotencyKey"/> and address: returns once the runtime has
    /// accepted it. A retry with the same key, to the same address, within
    /// <see cref="StatefulFunctionsOptions.IdempotencyWindow"/> (default 24 h) is acknowledged again, once the original
    /// is accepted, and not delivered again, even across a restart with durable storage. So a caller that cannot tell
    /// whether a send was accepted (a timeout, a crash, a lost connection) retries it with the same key.
    /// </summary>
    /// <param name="target">The address.</param>
    /// <param name="message">The message; a retry must send an equal message (same type, same serialized bytes).</param>
    /// <param name="idempotencyKey">The caller's key of this message: not empty, at most 256 characters.</param>
    /// <param name="cancellationToken">Cancels the wait for acceptance (the message may still be accepted).</param>
    /// <exception cref="IdempotencyConflictException">The key was used for a different message to this address; nothing was sent.</exception>
    ValueTask SendAsync(Address target, object message, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks at most once per <paramref name="idempotencyKey"/> and address: sends the message as
    /// <see cref="SendAsync(Address, object, string, CancellationToken)"/> does and waits for the handler's reply. A
    /// retry with the same key gets the reply of the original message: at once when it was already produced (also after
    /// a restart, for replies that can be stored), or when it comes, if the original is still being handled.
    /// </summary>
    /// <param name="target">The address.</param>
    /// <param name="message">The message; a retry must send an equal message (same type, same serialized bytes).</param>
    /// <param name="timeout">How long to wait for the reply once the message is accepted.</param>
    /// <param name="idempotencyKey">The caller's key of this message: not empty, at most 256 characters.</param>
    /// <param name="cancellationToken">Cancels the wait (the message may still be accepted and handled).</param>
    /// <exception cref="IdempotencyConflictException">The key was used for a different message to this address; nothing was sent.</exception>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="TReply"/>.</exception>
    /// <exception cref="DeadLetterException">The handler failed on every attempt.</exception>
    Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event to an in-process ingress; its routers decide where it goes.</summary>
    ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes an event to an in-process ingress at most once per <paramref name="idempotencyKey"/>: each message its
    /// routers forward is sent with a key derived from it (the key itself for the first message to an address,
    /// <c>key#2</c>, <c>key#3</c>... for further ones to the same address), so a retry of the same event is not
    /// delivered again. The routers must make the same messages, in the same order, from the same event.
    /// </summary>
    /// <exception cref="IdempotencyConflictException">The key was used for a different event (its routers made a different message); nothing was sent.</exception>
    ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records of an egress, waiting for new ones until cancelled. What has been read is acknowledged in
    /// batches (whenever the reader has caught up, and every 1,000 records), so delivery is at-least-once: with a
    /// durable store, records read shortly before a crash or a stop may be delivered again after the restart.
    /// To acknowledge each record only once it has been handled, use <see cref="ReadEgressRecordsAsync{T}"/>.
    /// </summary>
    IAsyncEnumerable<T> ReadEgressAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records of an egress that are there now, at most <paramref name="maxRecords"/>; when there are none,
    /// waits at most <paramref name="wait"/> (wall-clock time) for some. Returns the records read, empty when none came,
    /// once their acknowledgement is durable: with durable storage they are not read again after a restart. For polling
    /// and for tests: a reader that waits for every record uses <see cref="ReadEgressAsync{T}"/>.
    /// </summary>
    /// <param name="egress">The egress.</param>
    /// <param name="maxRecords">The most records to return: at least 1.</param>
    /// <param name="wait">How long to wait when no record is there: zero returns at once.</param>
    /// <param name="cancellationToken">Ends the wait (then what was read is returned, or none).</param>
    ValueTask<IReadOnlyList<T>> ReadEgressBatchAsync<T>(EgressId<T> egress, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default);

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

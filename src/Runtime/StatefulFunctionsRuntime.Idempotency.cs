using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Sends with an idempotency key: one message per key and address within the window.
public sealed partial class StatefulFunctionsRuntime
{
    private readonly IdempotencyTable _idempotency = new();

    /// <summary>The dedup records of idempotency keys still within their window.</summary>
    internal IdempotencyTable Idempotency => _idempotency;

    /// <summary>
    /// Sends a message from outside with an idempotency key: accepts it, or, when the key was already used for this
    /// address within the window, accepts nothing and waits for the original to be accepted. Returns the dedup record
    /// either way (an ask waits on it for the reply).
    /// </summary>
    /// <exception cref="IdempotencyConflictException">The key was used for a different message.</exception>
    internal async ValueTask<IdempotencyEntry> SendAsync(Address target, object message, string idempotencyKey, CancellationToken cancellationToken)
    {
        var (stored, hash) = PrepareKeyed(target, message, idempotencyKey, cancellationToken);
        await _admission.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        var entry = AcceptKeyed(target, message, idempotencyKey, stored, hash);

        // Acknowledged (again) once the message is accepted: a retry of a send still being committed waits for it.
        await entry.Accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Checks a keyed message and makes its stored form and hash (the same whether or not storage is durable).</summary>
    internal (StoredForm Stored, UInt128 Hash) PrepareKeyed(Address target, object message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        IdempotencyKeys.Validate(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        CheckDeliverable(target, message);
        var stored = Codec.Serialize(message);
        return (stored, IdempotencyKeys.Hash(stored));
    }

    /// <summary>
    /// Throws <see cref="IdempotencyConflictException"/> when <paramref name="idempotencyKey"/> is held for a different
    /// message to <paramref name="target"/>; adds nothing (an ingress checks every message of an event before it sends one).
    /// </summary>
    internal void CheckNoConflict(Address target, string idempotencyKey, string messageType, UInt128 hash)
    {
        var existing = _idempotency.FindLive(target, idempotencyKey, TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        if (existing is not null && existing.Hash != hash)
        {
            throw new IdempotencyConflictException(target, idempotencyKey, existing.MessageType, messageType);
        }
    }

    /// <summary>
    /// The atomic step of a keyed send: finds the key's live record or adds one, and in the same step (no await in
    /// between) submits the new message, so that two concurrent sends with one key never both get through.
    /// </summary>
    private IdempotencyEntry AcceptKeyed(Address target, object message, string idempotencyKey, StoredForm stored, UInt128 hash)
    {
        // The record is complete, with the task that says when its message is accepted, before it can be found: a
        // concurrent retry that finds it is acknowledged only once the original is.
        var envelope = new Envelope(target, caller: null, message, reply: null) { TraceParent = RuntimeTracing.CurrentTraceParent() };
        var accept = new AcceptUnit(envelope);
        var now = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var candidate = new IdempotencyEntry(
            target, idempotencyKey, hash, stored.Name, now + (long)Options.IdempotencyWindow.TotalMilliseconds, accept.Accepted);
        var entry = _idempotency.GetOrAdd(candidate, now);
        if (entry != candidate)
        {
            if (entry.Hash != hash)
            {
                throw new IdempotencyConflictException(target, idempotencyKey, entry.MessageType, stored.Name);
            }

            if (RuntimeMetrics.DeduplicatedEnabled)
            {
                RuntimeMetrics.MessageDeduplicated(TagOf(target.Type));
            }

            return entry;
        }

        envelope.Idempotency = entry;
        envelope.Stored = stored;
        try
        {
            Commit.Submit(accept);
        }
        catch (Exception exception)
        {
            // Not accepted: the key is free again, and a concurrent retry that found the record fails too.
            _idempotency.Remove(entry);
            accept.Fail(exception);
            throw;
        }

        return entry;
    }
}

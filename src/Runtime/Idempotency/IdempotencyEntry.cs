using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The dedup record of one idempotency key at one address: which message it was first used for (a hash of its type
/// name and bytes), until when it is remembered, whether that message is accepted yet, and what its handler replied.
/// </summary>
/// <remarks>
/// One lives in memory per key for the whole window, so it is kept small: it locks on itself, drops its acceptance
/// task once the message is accepted, and holds a reply read back from storage in the same slot as a live reply.
/// </remarks>
internal sealed class IdempotencyEntry(Address target, string key, UInt128 hash, string messageType, long expiresAtUnixMs, Task accepted)
{
    private Task _accepted = accepted;
    private TaskCompletionSource? _handled;
    private long _storedFrom;

    /// <summary>An answer through a route has been chosen as the outcome (it is set once that answer is committed).</summary>
    private bool _claimed;

    /// <summary>The reply: the object itself, or, when read back from storage, its <see cref="StoredForm"/> until first asked for.</summary>
    private object? _reply;

    public Address Target { get; } = target;

    public string Key { get; } = key;

    /// <summary>The first 128 bits of the SHA-256 of the message's stable type name and MemoryPack bytes.</summary>
    public UInt128 Hash { get; } = hash;

    /// <summary>The stable type name of the message (for the conflict error).</summary>
    public string MessageType { get; } = messageType;

    /// <summary>When the key is forgotten (Unix milliseconds of the runtime's clock); it also tells two uses of one key apart.</summary>
    public long ExpiresAtUnixMs { get; } = expiresAtUnixMs;

    /// <summary>Completes once the message is accepted (durable, with durable storage); faults when that failed.</summary>
    public Task Accepted => Volatile.Read(ref _accepted);

    public ReplyOutcome Outcome { get; private set; }

    /// <summary>With <see cref="ReplyOutcome.DeadLettered"/>, why; with <see cref="ReplyOutcome.ReplyNotKept"/>, the reply's type.</summary>
    public string? Detail { get; private set; }

    /// <summary>
    /// The log position from which this record, with its final outcome, is in every checkpoint (0: not yet, or never:
    /// a pending or dead-lettered message's outcome may still change). Once the checkpoint store covers it, the record
    /// may leave memory: a retry finds it in the store.
    /// </summary>
    public long StoredFrom => Volatile.Read(ref _storedFrom);

    /// <summary>The final outcome is in the log record at <paramref name="lsn"/> (or before it).</summary>
    public void MarkStoredFrom(long lsn) => Volatile.Write(ref _storedFrom, lsn);

    /// <summary>A dedup record as read back from the checkpoint store and the log: accepted, with its outcome so far.</summary>
    public static IdempotencyEntry FromStored(LoggedIdempotencyKey stored, Address target)
    {
        var entry = new IdempotencyEntry(target, stored.Key, stored.Hash, stored.MessageType, stored.ExpiresUnixMs, Task.CompletedTask);
        var outcome = (ReplyOutcome)stored.Outcome;
        var reply = outcome == ReplyOutcome.Replied && stored.ReplyType is not null ? new StoredForm(stored.ReplyType, stored.Reply ?? []) : (StoredForm?)null;
        entry.SetOutcome(outcome, storedReply: reply, detail: stored.Detail);
        return entry;
    }

    /// <summary>The message is accepted: the task that said so is no longer needed (waiters already hold it).</summary>
    public void MarkAccepted() => Volatile.Write(ref _accepted, Task.CompletedTask);

    /// <summary>
    /// Chooses the answer being committed as the outcome of a message whose reply was deferred or forwarded: true for
    /// the first answer only, while the message has no outcome (later answers are ignored).
    /// </summary>
    public bool TryClaimReply()
    {
        lock (this)
        {
            if (Outcome != ReplyOutcome.Pending || _claimed)
            {
                return false;
            }

            _claimed = true;
            return true;
        }
    }

    /// <summary>Records the outcome of the message, and wakes the asks waiting for it.</summary>
    public void SetOutcome(ReplyOutcome outcome, object? reply = null, StoredForm? storedReply = null, string? detail = null)
    {
        TaskCompletionSource? handled;
        lock (this)
        {
            Outcome = outcome;
            _claimed = false;
            _reply = storedReply is { } stored ? stored : reply;
            Detail = detail;
            handled = outcome == ReplyOutcome.Pending ? null : _handled;
            if (handled is not null)
            {
                _handled = null;
            }
        }

        handled?.TrySetResult();
    }

    /// <summary>Completes once the message has an outcome (it was handled or dead-lettered).</summary>
    public Task WhenHandledAsync()
    {
        lock (this)
        {
            return Outcome != ReplyOutcome.Pending
                ? Task.CompletedTask
                : (_handled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>The reply of a handled message, as the original ask got it, or the exception the original ask got.</summary>
    public object? GetReply(MessageCodec codec)
    {
        lock (this)
        {
            switch (Outcome)
            {
                case ReplyOutcome.Replied when _reply is StoredForm stored:
                    _reply = codec.Deserialize(stored.Name, stored.Bytes, $"The stored reply to idempotency key '{Key}' at {Target}");
                    return _reply;
                case ReplyOutcome.Replied:
                    return _reply;
                case ReplyOutcome.NoReply:
                    throw new InvalidOperationException(
                        $"{Target} handled the {MessageType} sent with idempotency key '{Key}' without calling context.Reply(...), so AskAsync has no answer.");
                case ReplyOutcome.DeadLettered:
                    throw new DeadLetterException(Detail ?? $"{Target} failed to handle the {MessageType} sent with idempotency key '{Key}'; the message was dead-lettered.");
                case ReplyOutcome.ReplyNotKept:
                    throw new InvalidOperationException(
                        $"{Target} handled the {MessageType} sent with idempotency key '{Key}' before a restart, and its reply (a {Detail}) was not kept: only replies of message types, egress record types and primitive types are stored. The message was not handled again.");
                default:
                    throw new InvalidOperationException($"The {MessageType} sent with idempotency key '{Key}' to {Target} has not been handled yet.");
            }
        }
    }
}

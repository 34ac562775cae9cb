using MemoryPack;

namespace StatefulFunctions.Storage;

/// <summary>
/// One group commit: everything a batch of handled messages, accepted messages and dead letters changed, written as
/// one log record. Replaying the records after a checkpoint rebuilds the durable view exactly.
/// </summary>
[MemoryPackable]
internal sealed partial class CommitRecord
{
    /// <summary>Reads the record at <paramref name="lsn"/> of the commit log <paramref name="log"/>; unreadable bytes are an error that names it.</summary>
    public static CommitRecord Read(ReadOnlySpan<byte> payload, long lsn, string log)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<CommitRecord>(payload) ?? throw new InvalidDataException("empty record");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Record {lsn} of the commit log '{log}' cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>Messages that became pending: accepted from outside, sent by handlers, or delayed (with a due time).</summary>
    public List<LoggedMessage> Added { get; set; } = new();

    /// <summary>Pending messages that are gone: handled, dead-lettered, cancelled or replaced.</summary>
    public List<long> Consumed { get; set; } = new();

    /// <summary>Changed state members per address.</summary>
    public List<LoggedState> States { get; set; } = new();

    /// <summary>Egress records published.</summary>
    public List<LoggedEgress> Egress { get; set; } = new();

    /// <summary>Egress records a consumer acknowledged.</summary>
    public List<long> EgressAcknowledged { get; set; } = new();

    /// <summary>Messages moved to the dead letters (their ids are also in <see cref="Consumed"/>).</summary>
    public List<LoggedDeadLetter> DeadLetters { get; set; } = new();

    /// <summary>Dead letters removed (re-driven).</summary>
    public List<long> DeadLettersRemoved { get; set; } = new();

    /// <summary>
    /// Dedup records of messages accepted with an idempotency key (each in the record that accepts its message). Null
    /// in records written before idempotency keys existed (MemoryPack leaves missing trailing members at default).
    /// </summary>
    public List<LoggedIdempotencyKey>? IdempotencyKeys { get; set; }

    /// <summary>Outcomes of messages sent with an idempotency key: handled (with the reply), dead-lettered, or re-driven.</summary>
    public List<LoggedReply>? Replies { get; set; }
}

/// <summary>
/// A message as stored: target, caller, stable type name and MemoryPack bytes, its timer fields, and the W3C
/// <c>traceparent</c> of the span that sent it (null when nothing was traced), and for a message sent with an
/// idempotency key, the key and the expiry of its dedup record (which tells this use of the key from a later one);
/// where its reply goes when that was passed along with it, and, for the answer to a function's ask, the ask's token.
/// </summary>
/// <remarks>
/// MemoryPack's default object format writes the member count first and reads a record with fewer members than the
/// type has by leaving the missing trailing members at their default. So members may only be added at the end:
/// logs and checkpoints written before <see cref="TraceParent"/> existed read with it null. The reverse does not
/// hold (an older runtime refuses a record with more members than it knows), so a data folder cannot go back to a
/// version without it.
/// </remarks>
[MemoryPackable]
internal sealed partial record LoggedMessage(
    long Id,
    string TargetType,
    string TargetId,
    string? CallerType,
    string? CallerId,
    string MessageType,
    byte[] Payload,
    long DueUnixMs,
    string? Token,
    string? TraceParent = null,
    string? IdempotencyKey = null,
    long IdempotencyExpiresUnixMs = 0,
    Runtime.ReplyRoute? ReplyTo = null,
    string? AnswersAsk = null);

/// <summary>The members of one address's state that changed (members are never removed: old ones are kept).</summary>
[MemoryPackable]
internal sealed partial record LoggedState(string Type, string Id, Dictionary<string, byte[]> Members);

/// <summary>An egress record as stored.</summary>
[MemoryPackable]
internal sealed partial record LoggedEgress(long Id, string Egress, string RecordType, byte[] Payload);

/// <summary>
/// A dead letter as stored (the message itself, with its original id, plus why it failed). <see cref="FailedAtTicks"/>
/// (UTC ticks) keeps the full precision of the time; it is 0 in records written before it existed (MemoryPack leaves a
/// missing trailing member at default), which fall back to <see cref="FailedAtUnixMs"/>.
/// </summary>
[MemoryPackable]
internal sealed partial record LoggedDeadLetter(LoggedMessage Message, string Exception, int Attempts, long FailedAtUnixMs, long FailedAtTicks = 0)
{
    /// <summary>When the message was dead-lettered, at the precision it was stored with.</summary>
    public DateTimeOffset FailedAt => FailedAtTicks != 0
        ? new DateTimeOffset(FailedAtTicks, TimeSpan.Zero)
        : DateTimeOffset.FromUnixTimeMilliseconds(FailedAtUnixMs);
}

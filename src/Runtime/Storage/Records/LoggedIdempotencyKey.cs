using MemoryPack;

namespace StatefulFunctions.Storage;

/// <summary>
/// A dedup record as stored: the address and key, the hash of the message first sent with it, when it is forgotten,
/// and (once known) the outcome of that message with its stored reply. Logged in the record that accepts the message;
/// checkpointed into LiteDB in batches (<see cref="IdempotencyBatch"/>) whose expiry is indexed, so that expired
/// records are deleted by a range of that index.
/// </summary>
[MemoryPackable]
internal sealed partial record LoggedIdempotencyKey(
    string TargetType,
    string TargetId,
    string Key,
    UInt128 Hash,
    string MessageType,
    long ExpiresUnixMs,
    byte Outcome = 0,
    string? ReplyType = null,
    byte[]? Reply = null,
    string? Detail = null)
{
    /// <summary>The (address, key) it is about, as text.</summary>
    [MemoryPackIgnore]
    public IdempotencyRecordKey RecordKey => new(TargetType, TargetId, Key);

    /// <summary>This record with the outcome of <paramref name="reply"/> (which must be about the same use of the key).</summary>
    public LoggedIdempotencyKey With(LoggedReply reply) =>
        this with { Outcome = reply.Outcome, ReplyType = reply.ReplyType, Reply = reply.Reply, Detail = reply.Detail };
}

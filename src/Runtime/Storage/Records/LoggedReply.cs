using MemoryPack;

namespace StatefulFunctions.Storage;

/// <summary>
/// The outcome of a message sent with an idempotency key, logged in the record that handles (or dead-letters, or
/// re-drives) it. <see cref="ExpiresUnixMs"/> names which use of the key it is about: a key used again after its
/// window has a later expiry.
/// </summary>
[MemoryPackable]
internal sealed partial record LoggedReply(
    string TargetType,
    string TargetId,
    string Key,
    long ExpiresUnixMs,
    byte Outcome,
    string? ReplyType,
    byte[]? Reply,
    string? Detail)
{
    /// <summary>The (address, key) it is about, as text.</summary>
    [MemoryPackIgnore]
    public IdempotencyRecordKey RecordKey => new(TargetType, TargetId, Key);
}

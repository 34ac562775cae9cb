namespace StatefulFunctions.Storage;

/// <summary>What the last LiteDB checkpoint holds besides per-address state.</summary>
/// <param name="Lsn">The last log record it covers (0: none).</param>
/// <param name="NextMessageId">Where message ids continued after it.</param>
/// <param name="NextEgressId">Where egress record ids continued after it.</param>
/// <param name="Pending">Messages not yet handled (delayed ones included).</param>
/// <param name="Egress">Egress records not yet acknowledged.</param>
/// <param name="DeadLetters">Dead letters not re-driven.</param>
/// <param name="IdempotencyKeys">Dedup records not expired at the time of reading.</param>
/// <param name="IdempotencyKeysFindable">Whether each of them can be found again by its fingerprint (not when a batch was written before fingerprints were).</param>
internal sealed record StoredCheckpoint(
    long Lsn,
    long NextMessageId,
    long NextEgressId,
    List<LoggedMessage> Pending,
    List<LoggedEgress> Egress,
    List<LoggedDeadLetter> DeadLetters,
    List<LoggedIdempotencyKey> IdempotencyKeys,
    bool IdempotencyKeysFindable);

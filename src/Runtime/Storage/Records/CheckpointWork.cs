namespace StatefulFunctions.Storage;

/// <summary>What one checkpoint writes to LiteDB: everything the log changed since the previous checkpoint, up to <see cref="Lsn"/>.</summary>
internal sealed record CheckpointWork
{
    public required long Lsn { get; init; }

    /// <summary>The next message id to assign after this checkpoint (ids are never reused).</summary>
    public required long NextMessageId { get; init; }

    /// <summary>The next egress record id to assign after this checkpoint.</summary>
    public required long NextEgressId { get; init; }

    public required Dictionary<Address, Dictionary<string, byte[]>> States { get; init; }

    public required List<LoggedMessage> PendingAdded { get; init; }

    public required List<long> PendingRemoved { get; init; }

    public required List<LoggedEgress> EgressAdded { get; init; }

    public required List<long> EgressRemoved { get; init; }

    public required List<LoggedDeadLetter> DeadLettersAdded { get; init; }

    public required List<long> DeadLettersRemoved { get; init; }

    /// <summary>Dedup records accepted since the previous checkpoint (with their outcome when it is known by now).</summary>
    public required List<LoggedIdempotencyKey> IdempotencyKeysAdded { get; init; }

    /// <summary>Outcomes of messages whose dedup record is in an earlier checkpoint.</summary>
    public required List<LoggedReply> Replies { get; init; }

    /// <summary>Dedup records that expire at or before this time (Unix ms of the runtime's clock) are deleted, by a range of the expiry index.</summary>
    public required long IdempotencyExpiredBeforeUnixMs { get; init; }
}

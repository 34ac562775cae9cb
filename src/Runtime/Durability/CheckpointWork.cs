namespace StatefulFunctions.Durability;

/// <summary>What one checkpoint writes to LiteDB: everything the log changed since the previous checkpoint, up to <see cref="Lsn"/>.</summary>
internal sealed class CheckpointWork
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
}

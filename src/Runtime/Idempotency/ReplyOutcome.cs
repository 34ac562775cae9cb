namespace StatefulFunctions.Runtime;

/// <summary>What became of a message sent with an idempotency key, as far as a retried ask is concerned.</summary>
internal enum ReplyOutcome : byte
{
    /// <summary>Not handled yet (or re-driven from the dead letters): a retried ask waits.</summary>
    Pending = 0,

    /// <summary>Handled, and the handler replied (possibly with null).</summary>
    Replied = 1,

    /// <summary>Handled without a reply.</summary>
    NoReply = 2,

    /// <summary>Moved to the dead letters.</summary>
    DeadLettered = 3,

    /// <summary>Handled and replied before a restart, with a reply of a type that cannot be stored, so it was not kept.</summary>
    ReplyNotKept = 4,
}

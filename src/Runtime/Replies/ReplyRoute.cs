using MemoryPack;

namespace StatefulFunctions.Runtime;

/// <summary>
/// Where the reply of a message goes, in a form that can be stored (in the commit log with the message, or in a
/// function's state inside a <see cref="PendingReply{TReply}"/>): to a client ask waiting in this process, to the dedup
/// record of a keyed ask (where a retried ask finds it, across restarts), or to a function that asked.
/// </summary>
/// <param name="Kind">Which of the three.</param>
/// <param name="Type">Keyed: the function type of the address asked. Asker: the function type of the asker.</param>
/// <param name="Id">Keyed: the id of the address asked. Asker: the id of the asker.</param>
/// <param name="Key">Waiter: the run of the runtime the ask waits in. Keyed: the idempotency key. Asker: the ask's token (of its timeout).</param>
/// <param name="Number">Waiter: the waiter's number. Keyed: the expiry of the dedup record (which use of the key).</param>
/// <param name="Correlation">Asker: the correlation the asker chose.</param>
/// <param name="ReplyMessageType">Asker: the stable name of the <see cref="Reply{TReply}"/> message type the asker handles.</param>
[MemoryPackable]
internal sealed partial record ReplyRoute(
    ReplyRouteKind Kind,
    string? Type,
    string? Id,
    string Key,
    long Number,
    string? Correlation = null,
    string? ReplyMessageType = null)
{
    public static ReplyRoute Waiter(string runId, long waiter) => new(ReplyRouteKind.Waiter, null, null, runId, waiter);

    public static ReplyRoute Keyed(IdempotencyEntry entry) =>
        new(ReplyRouteKind.Keyed, entry.Target.Type.ToString(), entry.Target.Id, entry.Key, entry.ExpiresAtUnixMs);

    public static ReplyRoute Asker(Address asker, string token, string correlation, string replyMessageType) =>
        new(ReplyRouteKind.Asker, asker.Type.ToString(), asker.Id, token, 0, correlation, replyMessageType);

    /// <summary>Keyed: the address asked. Asker: the asker.</summary>
    [MemoryPackIgnore]
    public Address Address => new(TypeName.Parse(Type!), Id!);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ReplyRouteKind.Waiter => "a reply to an ask waiting in the client",
        ReplyRouteKind.Keyed => $"a reply to the ask of {Type}/{Id} with idempotency key '{Key}'",
        _ => $"a reply to {Type}/{Id} (correlation '{Correlation}')",
    };
}

/// <summary>The three places a reply can go (<see cref="ReplyRoute"/>).</summary>
internal enum ReplyRouteKind : byte
{
    /// <summary>A client ask without idempotency key, waiting in this process (gone after a restart).</summary>
    Waiter,

    /// <summary>The dedup record of a keyed ask.</summary>
    Keyed,

    /// <summary>A function that asked with <see cref="IContext.Ask{TReply}(Address, IAsk{TReply}, string, TimeSpan?)"/>.</summary>
    Asker,
}

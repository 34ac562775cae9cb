using MemoryPack;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

/// <summary>
/// The reply a handler owes for the ask it is handling, taken with <see cref="IContext.DeferReply{TReply}"/> to answer
/// later, from another message, with <see cref="IContext.Reply{TReply}(PendingReply{TReply}, TReply)"/>. It can be kept in
/// a <c>[Persisted]</c> member or in a message, and survives swap-out and, with durable storage, a restart. It is answered
/// at most once: a second answer is ignored.
/// </summary>
/// <typeparam name="TReply">The type of the reply the asker waits for.</typeparam>
[MemoryPackable]
public sealed partial class PendingReply<TReply>
{
    [MemoryPackConstructor]
    internal PendingReply(ReplyRoute? route) => Route = route;

    /// <summary>Where the reply goes; null when nobody asked (the message was sent, not asked): answering it then does nothing.</summary>
    [MemoryPackInclude]
    internal ReplyRoute? Route { get; }

    /// <summary>True when somebody asked: the client (or an HTTP caller), or a function.</summary>
    [MemoryPackIgnore]
    public bool IsAsked => Route is not null;

    /// <inheritdoc />
    public override string ToString() => Route?.ToString() ?? "a reply nobody waits for";
}

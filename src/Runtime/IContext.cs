namespace StatefulFunctions;

/// <summary>
/// What a handler can see and do. Every effect (sends, delayed sends, cancellations, egress records, replies)
/// is buffered and released only when the handler returns successfully; a handler that throws has none.
/// </summary>
public interface IContext
{
    /// <summary>The address of the instance handling the message.</summary>
    Address Self { get; }

    /// <summary>The address that sent the message, or null when it came from an ingress or the client.</summary>
    Address? Caller { get; }

    /// <summary>
    /// A logger for this call: its category is the function class's full name (filter it as for an
    /// <c>ILogger&lt;TFunction&gt;</c>), and each record carries a scope with <c>Address</c> and <c>MessageType</c>. It
    /// writes to the runtime's logger factory (the host's, with <c>AddStatefulFunctions</c>). Use it within the call.
    /// </summary>
    Microsoft.Extensions.Logging.ILogger Logger { get; }

    /// <summary>The current time, from the runtime's <see cref="TimeProvider"/>.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Sends a message to any address.</summary>
    void Send(Address target, object message);

    /// <summary>
    /// Sends a message to a typed address. Only compiles when <typeparamref name="TFunction"/> handles
    /// <typeparamref name="TMessage"/>.
    /// </summary>
    void Send<TFunction, TMessage>(Address<TFunction> target, TMessage message)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull;

    /// <summary>
    /// Sends a message after a delay. A non-null <paramref name="cancellationToken"/> names it so that
    /// <see cref="CancelDelayed"/> can cancel it; sending again with the same token replaces the pending one (on a
    /// StateFun cluster too: the remote endpoint cancels the token first). Delayed sends and cancellations take effect
    /// in the order the handler makes them.
    /// </summary>
    void SendAfter(TimeSpan delay, Address target, object message, string? cancellationToken = null);

    /// <summary>Sends a message to a typed address after a delay; only compiles when the function handles the message.</summary>
    void SendAfter<TFunction, TMessage>(TimeSpan delay, Address<TFunction> target, TMessage message, string? cancellationToken = null)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull;

    /// <summary>
    /// Cancels the pending delayed message this instance sent with <paramref name="cancellationToken"/>, if any,
    /// including one this call sent before; one it sends after the cancellation stays.
    /// </summary>
    void CancelDelayed(string cancellationToken);

    /// <summary>Emits a record to an egress.</summary>
    void Emit<T>(EgressId<T> egress, T record)
        where T : notnull;

    /// <summary>
    /// Answers the ask waiting for this message, if any: a client's <c>AskAsync</c>, or a function's
    /// <see cref="Ask{TReply}(Address, IAsk{TReply}, string, TimeSpan?)"/>. An answering handler
    /// (<see cref="IHandle{TMessage, TReply}"/>) returns its reply instead.
    /// </summary>
    void Reply(object reply);

    /// <summary>
    /// Refuses the message for good: it is not tried again but dead-lettered at once with <paramref name="reason"/>;
    /// nothing this call changed or sent takes effect, and an ask of the message (from a client, or a function's
    /// <see cref="Ask{TReply}(Address, IAsk{TReply}, string, TimeSpan?)"/>) is told the reason. For a message that can
    /// never be handled (invalid, or refused by the rules of the function); a failure that may pass should throw, to be
    /// retried.
    /// </summary>
    /// <exception cref="MessageRejectedException">Always: the handler ends here.</exception>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    void Reject(string reason) => throw new MessageRejectedException(reason);

    /// <summary>
    /// Takes the reply this call owes for <paramref name="message"/> (the message being handled), to answer it later
    /// from another message with <see cref="Reply{TReply}(PendingReply{TReply}, TReply)"/>: keep it in a
    /// <c>[Persisted]</c> member or send it on in a message. This call then gives no reply itself.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is not the message being handled.</exception>
    PendingReply<TReply> DeferReply<TReply>(IAsk<TReply> message);

    /// <summary>
    /// Answers a reply taken with <see cref="DeferReply{TReply}"/>, as an effect of this call: it reaches the asker once
    /// this call is committed. A reply answered before (or timed out, for an ask between functions) is not answered again.
    /// </summary>
    void Reply<TReply>(PendingReply<TReply> pending, TReply reply);

    /// <summary>
    /// Sends <paramref name="message"/> on to <paramref name="target"/> with the reply this call owes: the target's
    /// reply answers the ask waiting for the message being handled. This call then gives no reply itself.
    /// </summary>
    void Forward(Address target, object message);

    /// <summary>The typed form of <see cref="Forward(Address, object)"/>: only compiles when the function handles the message.</summary>
    void Forward<TFunction, TMessage>(Address<TFunction> target, TMessage message)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull;

    /// <summary>
    /// Asks another function without waiting: sends <paramref name="message"/>, and its answer comes back later as a
    /// <see cref="Reply{TReply}"/> message to this instance, with <paramref name="correlation"/>, which this function
    /// must handle (<c>IHandle&lt;Reply&lt;TReply&gt;&gt;</c>). Exactly one comes: the answer, a
    /// <see cref="ReplyStatus.TimedOut"/> one after <paramref name="timeout"/> (default 30 seconds; an answer after it is
    /// dropped), or a <see cref="ReplyStatus.DeadLettered"/> one. The generated <c>Ask</c> of a typed address also checks
    /// at compile time that the target answers the message.
    /// </summary>
    /// <exception cref="InvalidOperationException">This function does not handle <c>Reply&lt;TReply&gt;</c>.</exception>
    void Ask<TReply>(Address target, IAsk<TReply> message, string correlation, TimeSpan? timeout = null);
}

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

    /// <summary>Answers the <see cref="IStatefulFunctionsClient.AskAsync{TReply}(Address, object, TimeSpan, CancellationToken)"/> waiting for this message, if any.</summary>
    void Reply(object reply);
}

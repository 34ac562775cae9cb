namespace StatefulFunctions;

/// <summary>Typed sends from outside a function: they only compile for a message the target function handles.</summary>
public static class StatefulFunctionsClientExtensions
{
    /// <summary>How long a typed ask waits for its reply when the call does not say: 30 seconds.</summary>
    public static readonly TimeSpan DefaultAskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Asks any address with an <see cref="IAsk{TReply}"/> message and waits for its reply, typed by the message
    /// (<c>await client.AskAsync(address, new GetBalance())</c> is a <c>decimal</c>). For a typed address, the
    /// generated <c>AskAsync</c> of the function also checks at compile time that it answers the message.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="target">The address.</param>
    /// <param name="message">The message.</param>
    /// <param name="timeout">How long to wait for the reply once the message is accepted; <see cref="DefaultAskTimeout"/> when null.</param>
    /// <param name="idempotencyKey">
    /// When given, the ask is made at most once per key and address, and a retry gets the original's reply (see
    /// <see cref="IStatefulFunctionsClient.AskAsync{TReply}(Address, object, TimeSpan, string, CancellationToken)"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the wait (the message may still be accepted and handled).</param>
    /// <exception cref="TimeoutException">No reply within the timeout.</exception>
    /// <exception cref="DeadLetterException">The handler failed on every attempt.</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for a different message to this address.</exception>
    public static Task<TReply> AskAsync<TReply>(
        this IStatefulFunctionsClient client,
        Address target,
        IAsk<TReply> message,
        TimeSpan? timeout = null,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        Generation.Replies.AskAsync<TReply>(client, target, message, timeout, idempotencyKey, cancellationToken);

    /// <summary>Sends a message to a typed address (<c>Ride.At(id)</c>); returns once the runtime has accepted it.</summary>
    public static ValueTask SendAsync<TFunction, TMessage>(this IStatefulFunctionsClient client, Address<TFunction> target, TMessage message, CancellationToken cancellationToken = default)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SendAsync(target.Untyped, message, cancellationToken);
    }

    /// <summary>
    /// Sends a message to a typed address at most once per <paramref name="idempotencyKey"/> (see
    /// <see cref="IStatefulFunctionsClient.SendAsync(Address, object, string, CancellationToken)"/>).
    /// </summary>
    public static ValueTask SendAsync<TFunction, TMessage>(this IStatefulFunctionsClient client, Address<TFunction> target, TMessage message, string idempotencyKey, CancellationToken cancellationToken = default)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SendAsync(target.Untyped, message, idempotencyKey, cancellationToken);
    }

    /// <summary>Forwards a message to a typed address from a router.</summary>
    public static void Forward<TFunction, TMessage>(this IDownstream downstream, Address<TFunction> target, TMessage message)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(downstream);
        downstream.Forward(target.Untyped, message);
    }
}

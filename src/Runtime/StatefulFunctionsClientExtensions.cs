namespace StatefulFunctions;

/// <summary>Typed sends from outside a function: they only compile for a message the target function handles.</summary>
public static class StatefulFunctionsClientExtensions
{
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

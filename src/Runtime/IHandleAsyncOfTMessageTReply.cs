namespace StatefulFunctions;

/// <summary>A function that answers <typeparamref name="TMessage"/> asynchronously: the returned value is the reply.</summary>
/// <typeparam name="TMessage">The message type, usually an <see cref="IAsk{TReply}"/> of <typeparamref name="TReply"/>.</typeparam>
/// <typeparam name="TReply">The type of the reply.</typeparam>
public interface IHandleAsync<in TMessage, TReply> : IHandles<TMessage>
{
    /// <summary>
    /// Handles one message and returns the reply, which reaches the asker once the call's state and effects are
    /// committed. Nothing else runs on this address's shard until the returned task completes, so await only what is
    /// quick (see <see cref="IHandleAsync{TMessage}.HandleAsync"/>).
    /// </summary>
    ValueTask<TReply> HandleAsync(IContext context, TMessage message);
}

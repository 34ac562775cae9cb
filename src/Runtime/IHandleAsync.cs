namespace StatefulFunctions;

/// <summary>A function that handles <typeparamref name="TMessage"/> asynchronously.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
public interface IHandleAsync<in TMessage> : IHandles<TMessage>
{
    /// <summary>
    /// Handles one message. Nothing else runs on this address's shard until the returned task completes (every
    /// await holds up the shard's other addresses too), so await only what is quick; send a message and handle the
    /// answer later for anything slow.
    /// </summary>
    ValueTask HandleAsync(IContext context, TMessage message);
}

namespace StatefulFunctions;

/// <summary>A function that handles <typeparamref name="TMessage"/> asynchronously.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
public interface IHandleAsync<in TMessage> : IHandles<TMessage>
{
    /// <summary>Handles one message. No other message of this address runs until the returned task completes.</summary>
    ValueTask HandleAsync(IContext context, TMessage message);
}

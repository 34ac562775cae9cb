namespace StatefulFunctions;

/// <summary>A function that handles <typeparamref name="TMessage"/> synchronously.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
public interface IHandle<in TMessage> : IHandles<TMessage>
{
    /// <summary>Handles one message. State is loaded before and saved after the call.</summary>
    void Handle(IContext context, TMessage message);
}

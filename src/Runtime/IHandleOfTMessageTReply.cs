namespace StatefulFunctions;

/// <summary>A function that answers <typeparamref name="TMessage"/> synchronously: the returned value is the reply.</summary>
/// <typeparam name="TMessage">The message type, usually an <see cref="IAsk{TReply}"/> of <typeparamref name="TReply"/>.</typeparam>
/// <typeparam name="TReply">The type of the reply.</typeparam>
public interface IHandle<in TMessage, out TReply> : IHandles<TMessage>
{
    /// <summary>
    /// Handles one message and returns the reply, which reaches the asker once the call's state and effects are
    /// committed (a message sent without an ask is handled the same, and its reply goes nowhere).
    /// </summary>
    TReply Handle(IContext context, TMessage message);
}

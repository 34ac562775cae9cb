namespace StatefulFunctions;

/// <summary>
/// The shared base of <see cref="IHandle{TMessage}"/>, <see cref="IHandleAsync{TMessage}"/> and their answering forms
/// <see cref="IHandle{TMessage, TReply}"/> and <see cref="IHandleAsync{TMessage, TReply}"/>: "handles
/// <typeparamref name="TMessage"/>" as one generic constraint. Implement one of the derived interfaces, not this.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
#pragma warning disable CA1040 // Marker interface on purpose: it is a generic constraint.
public interface IHandles<in TMessage>
#pragma warning restore CA1040
{
}

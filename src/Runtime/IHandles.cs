namespace StatefulFunctions;

/// <summary>
/// The shared base of <see cref="IHandle{TMessage}"/> and <see cref="IHandleAsync{TMessage}"/>: "handles
/// <typeparamref name="TMessage"/>" as one generic constraint. Implement one of the two derived interfaces, not this.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
#pragma warning disable CA1040 // Marker interface on purpose: it is a generic constraint.
public interface IHandles<in TMessage>
#pragma warning restore CA1040
{
}

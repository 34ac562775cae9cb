using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>Everything the runtime needs to run one function type; emitted by the generator, one per function class.</summary>
/// <param name="TypeName">The function type name.</param>
/// <param name="FunctionType">The function class.</param>
/// <param name="Factory">Creates a fresh instance (pooled and re-loaded with each address's state).</param>
/// <param name="PersistedValues">The <c>[Persisted]</c> members, in declaration order.</param>
/// <param name="MessageTypes">The message types the function handles.</param>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record FunctionDescriptor(
    TypeName TypeName,
    Type FunctionType,
    Func<IStatefulFunction> Factory,
    IReadOnlyList<PersistedValueSpec> PersistedValues,
    IReadOnlyList<MessageTypeDescriptor> MessageTypes)
{
    /// <summary>
    /// The types of the replies the function gives (of its answering handlers and of the <see cref="IAsk{TReply}"/>
    /// messages it handles), so that the reply to a keyed ask can be stored with its dedup record.
    /// </summary>
    public IReadOnlyList<MessageTypeDescriptor> ReplyTypes { get; init; } = [];
}

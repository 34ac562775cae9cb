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
    IReadOnlyList<MessageTypeDescriptor> MessageTypes);

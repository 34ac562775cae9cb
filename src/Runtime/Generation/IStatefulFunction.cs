using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>
/// Implemented by the generated part of every <c>[StatefulFunction]</c> class: its dispatch table and state
/// serializer. Users do not implement it by hand.
/// </summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IStatefulFunction
{
    /// <summary>Calls the handler for the message's type.</summary>
    /// <exception cref="UnhandledMessageException">The function has no handler for the message's type.</exception>
    ValueTask DispatchAsync(IContext context, object message);

    /// <summary>Writes every <c>[Persisted]</c> member under its state name.</summary>
    void WriteState(StateWriter writer);

    /// <summary>Sets every <c>[Persisted]</c> member from the state read (the member's initial value when absent).</summary>
    void ReadState(StateReader reader);
}

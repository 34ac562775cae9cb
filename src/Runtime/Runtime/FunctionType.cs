using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>A registered function type with what the runtime derives from its descriptor once.</summary>
internal sealed class FunctionType
{
    private readonly HashSet<Type> _handledExactly;

    public FunctionType(FunctionDescriptor descriptor)
    {
        Descriptor = descriptor;
        _handledExactly = descriptor.MessageTypes.Select(m => m.ClrType).ToHashSet();

        // The state a fresh instance starts with: field initializers included. Members absent from stored state
        // are read from here, so a pooled object never keeps the previous address's values.
        var writer = new StateWriter();
        writer.Begin(committed: null);
        descriptor.Factory().WriteState(writer);
        InitialState = writer.Changed ?? new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Expiry = new Expiry(descriptor.PersistedValues, InitialState);
    }

    /// <summary>The time to live of the members that have one.</summary>
    public Expiry Expiry { get; }

    public FunctionDescriptor Descriptor { get; }

    public TypeName Name => Descriptor.TypeName;

    public IReadOnlyDictionary<string, byte[]> InitialState { get; }

    /// <summary>Throws when the function has no handler for the message's type.</summary>
    public void CheckHandles(object message)
    {
        if (!Handles(message.GetType()))
        {
            throw new InvalidOperationException(
                $"Function '{Name}' ({Descriptor.FunctionType.FullName}) does not handle messages of type {message.GetType().FullName}.");
        }
    }

    public bool Handles(Type messageType)
    {
        if (_handledExactly.Contains(messageType))
        {
            return true;
        }

        foreach (var handled in Descriptor.MessageTypes)
        {
            if (handled.ClrType.IsAssignableFrom(messageType))
            {
                return true;
            }
        }

        return false;
    }
}

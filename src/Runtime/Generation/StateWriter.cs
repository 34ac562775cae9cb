using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>Captures a function's persisted members, each serialized on its own under its state name.</summary>
public sealed class StateWriter
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <summary>Serializes one member with MemoryPack.</summary>
    public void Write<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value)
    {
        try
        {
            _values[name] = MemoryPackSerializer.Serialize(value);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new StateSerializationException(
                $"Persisted state '{name}' of type {typeof(T)} could not be serialized: {exception.Message}", exception);
        }
    }

    internal Dictionary<string, byte[]> Values => _values;
}

using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>Restores a function's persisted members from the per-member values of its stored state.</summary>
public sealed class StateReader
{
    private readonly IReadOnlyDictionary<string, byte[]> _values;
    private readonly string _owner;

    internal StateReader(IReadOnlyDictionary<string, byte[]> values, string owner)
    {
        _values = values;
        _owner = owner;
    }

    /// <summary>Deserializes one member, or returns <c>default</c> when the state holds no value under that name.</summary>
    /// <exception cref="StateSerializationException">The stored bytes cannot be read as <typeparamref name="T"/>.</exception>
    public T Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name)
    {
        if (!_values.TryGetValue(name, out var bytes))
        {
            return default!;
        }

        try
        {
            return MemoryPackSerializer.Deserialize<T>(bytes)!;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new StateSerializationException(
                $"Persisted state '{name}' of {_owner} could not be read as {typeof(T)} ({bytes.Length} bytes stored): {exception.Message}",
                exception);
        }
    }
}

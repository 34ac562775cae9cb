using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>Restores a function's persisted members from the per-member values of its stored state.</summary>
/// <remarks>
/// A member's stored value must be exactly one value of its declared type: the bytes are read to their end, and when a
/// type fingerprint was stored beside them (<c>$type:&lt;name&gt;</c>) it must match the declared type's (or be the same
/// MemoryPackable object with fewer trailing members). Anything else is unreadable state: a
/// <see cref="StateSerializationException"/>, never a value, so the runtime dead-letters the message and leaves
/// the stored bytes as they are.
/// </remarks>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
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
    /// <exception cref="StateSerializationException">The stored bytes are not exactly one <typeparamref name="T"/>, or were written for another type.</exception>
    public T Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(PersistedMember<T> member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (!_values.TryGetValue(member.Name, out var bytes))
        {
            return default!;
        }

        if (_values.TryGetValue(member.FingerprintKey, out var stored) && !stored.AsSpan().SequenceEqual(member.FingerprintBytes))
        {
            var storedSchema = Encoding.UTF8.GetString(stored);
            if (!StateFingerprint.CanRead(storedSchema, member.Fingerprint))
            {
                throw new StateSerializationException(
                    $"Persisted state '{member.Name}' of {_owner} was written as {storedSchema} and is now declared as {member.Fingerprint} " +
                    $"({typeof(T)}); the stored value was left as it is. Declare the member with its stored type again, or give the new " +
                    $"type a new state name ([Persisted(Name = \"...\")]) so the old value stays apart.");
            }
        }

        return Deserialize<T>(member.Name, bytes, member.Fingerprint);
    }

    /// <summary>Deserializes one member, or returns <c>default</c> when the state holds no value under that name.</summary>
    /// <remarks>Kept for code generated before <see cref="PersistedMember{T}"/>: no fingerprint is checked, only that the bytes are exactly one value.</remarks>
    /// <exception cref="StateSerializationException">The stored bytes cannot be read as exactly one <typeparamref name="T"/>.</exception>
    public T Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out var bytes) ? Deserialize<T>(name, bytes, declared: null) : default!;
    }

    private T Deserialize<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, byte[] bytes, string? declared)
    {
        T? value = default;
        int read;
        try
        {
            read = MemoryPackSerializer.Deserialize(bytes.AsSpan(), ref value);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new StateSerializationException(
                $"Persisted state '{name}' of {_owner} could not be read as {Describe<T>(declared)} ({bytes.Length} bytes stored): {exception.Message}; " +
                "the stored value was left as it is.",
                exception);
        }

        if (read != bytes.Length)
        {
            throw new StateSerializationException(
                $"Persisted state '{name}' of {_owner} is not a value of its declared type {Describe<T>(declared)}: reading it took {read} of the " +
                $"{bytes.Length} bytes stored, so it was written as another type; the stored value was left as it is.");
        }

        return value!;
    }

    private static string Describe<T>(string? declared) => declared is null ? typeof(T).ToString() : $"{declared} ({typeof(T)})";
}

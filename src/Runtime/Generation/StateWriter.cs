using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>
/// Captures a function's persisted members, each serialized on its own under its state name. It serializes into one
/// reused buffer and keeps only the members whose bytes differ from the committed state, and the partial properties
/// the handler set, so a handler that changes one member costs one small allocation, and one that changes nothing
/// costs none.
/// </summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private IReadOnlyDictionary<string, byte[]>? _committed;
    private Dictionary<string, byte[]>? _changed;
    private Dictionary<string, byte[]>? _spare; // the changed-members dictionary of the last capture, when it may be reused
    private HashSet<string>? _written;

    /// <summary>
    /// Serializes one member with MemoryPack. When the committed state has no type fingerprint for it, or another one,
    /// the member's fingerprint is written beside it (under <c>$type:&lt;name&gt;</c>), together with its bytes, so a
    /// stored value always carries the type it was written as.
    /// </summary>
    public void Write<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(PersistedMember<T> member, T value) =>
        Write(member, value, written: false);

    /// <summary>
    /// Serializes one member, as <see cref="Write{T}(PersistedMember{T}, T)"/>. <paramref name="written"/> says the
    /// handler set it (a <c>[Persisted]</c> partial property records each set): then it counts as changed even with
    /// the bytes it had, so its time to live starts again and a StateFun cluster is told.
    /// </summary>
    public void Write<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(PersistedMember<T> member, T value, bool written)
    {
        ArgumentNullException.ThrowIfNull(member);
        var name = member.Name;
        Serialize(name, value);
        var bytes = _buffer.WrittenSpan;
        if (written)
        {
            (_written ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }

        if (_committed is not null && _committed.TryGetValue(member.FingerprintKey, out var fingerprint) && fingerprint.AsSpan().SequenceEqual(member.FingerprintBytes))
        {
            if (!written && _committed.TryGetValue(name, out var committed) && committed.AsSpan().SequenceEqual(bytes))
            {
                return;
            }

            (_changed ??= NewChanged())[name] = bytes.ToArray();
            return;
        }

        var changed = _changed ??= NewChanged();
        changed[name] = bytes.ToArray();
        changed[member.FingerprintKey] = member.FingerprintBytes;
    }

    /// <summary>Serializes one member with MemoryPack, without a type fingerprint.</summary>
    /// <remarks>Kept for code generated before <see cref="PersistedMember{T}"/>.</remarks>
    public void Write<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Serialize(name, value);
        var bytes = _buffer.WrittenSpan;
        if (_committed is not null && _committed.TryGetValue(name, out var committed) && committed.AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        (_changed ??= NewChanged())[name] = bytes.ToArray();
    }

    private void Serialize<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value)
    {
        _buffer.ResetWrittenCount();
        try
        {
            MemoryPackSerializer.Serialize(_buffer, value);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new StateSerializationException(
                $"Persisted state '{name}' of type {typeof(T)} could not be serialized: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Starts a capture compared against <paramref name="committed"/> (null: every member counts as changed). With
    /// <paramref name="reuse"/>, the caller is done with the previous <see cref="Changed"/> (nothing kept it), so its
    /// dictionary is cleared and filled again instead of a new one made for every handler call.
    /// </summary>
    internal void Begin(IReadOnlyDictionary<string, byte[]>? committed, bool reuse = false)
    {
        _committed = committed;
        _spare = reuse ? _changed ?? _spare : null;
        _changed = null;
        _written?.Clear();
    }

    private Dictionary<string, byte[]> NewChanged()
    {
        if (_spare is { } spare)
        {
            spare.Clear();
            return spare;
        }

        return new Dictionary<string, byte[]>(StringComparer.Ordinal);
    }

    /// <summary>Whether the handler set the member <paramref name="name"/> (a partial property), whatever its value.</summary>
    internal bool WasWritten(string name) => _written is not null && _written.Contains(name);

    /// <summary>The members whose bytes differ from the committed state, or null when none does.</summary>
    internal Dictionary<string, byte[]>? Changed => _changed;
}

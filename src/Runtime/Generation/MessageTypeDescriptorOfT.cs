using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>The descriptor of message type <typeparamref name="T"/>; serialization needs no reflection.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MessageTypeDescriptor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T> : MessageTypeDescriptor
{
    /// <summary>Creates the descriptor.</summary>
    public MessageTypeDescriptor(string name)
        : base(name, typeof(T))
    {
    }

    /// <inheritdoc />
    public override byte[] Serialize(object message) => MemoryPackSerializer.Serialize((T)message);

    /// <inheritdoc />
    public override object Deserialize(ReadOnlySpan<byte> bytes) =>
        MemoryPackSerializer.Deserialize<T>(bytes) ?? throw new InvalidDataException($"Message of type '{Name}' deserialized to null.");
}

using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>A message type with its stable name and its MemoryPack serialization, as the generator emits it.</summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MessageTypeDescriptor
{
    private protected MessageTypeDescriptor(string name, Type clrType)
    {
        Name = name;
        ClrType = clrType;
    }

    /// <summary>The stable type name: <c>[MessageType]</c>'s, or the full CLR name.</summary>
    public string Name { get; }

    /// <summary>The CLR type.</summary>
    public Type ClrType { get; }

    /// <summary>Serializes a message of this type.</summary>
    public abstract byte[] Serialize(object message);

    /// <summary>Deserializes a message of this type.</summary>
    public abstract object Deserialize(ReadOnlySpan<byte> bytes);
}

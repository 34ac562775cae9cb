using MemoryPack;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// How values of one CLR type travel in a StateFun <c>TypedValue</c>: their typename and the bytes of a value.
/// State members are kept as MemoryPack bytes by the generated serializer, so a codec also converts between those
/// and its wire bytes.
/// </summary>
internal abstract class ValueCodec(string typeName, Type clrType)
{
    /// <summary>The StateFun typename of the values, e.g. <c>io.statefun.types/int</c> or <c>rides/ride-requested</c>.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The CLR type of the values.</summary>
    public Type ClrType { get; } = clrType;

    /// <summary>The wire bytes of a value.</summary>
    public abstract byte[] Encode(object value);

    /// <summary>Reads wire bytes; throws when they are not a value of this type.</summary>
    public abstract object? Decode(ReadOnlySpan<byte> bytes);

    /// <summary>Reads the wire bytes of a message (an invocation's argument), which may be held to more than a stored value.</summary>
    public virtual object? DecodeMessage(ReadOnlySpan<byte> bytes) => Decode(bytes);

    /// <summary>A plain sentence for why <see cref="DecodeMessage"/> failed, when the codec has one; else null.</summary>
    public virtual string? DescribeUnreadableMessage(Exception exception, ReadOnlySpan<byte> bytes) => null;

    /// <summary>Wire bytes to the MemoryPack bytes the generated state serializer reads.</summary>
    public virtual byte[] ToMemoryPack(ReadOnlySpan<byte> wire) => MemoryPackSerializer.Serialize(ClrType, Decode(wire));

    /// <summary>True when two MemoryPack forms hold the same value.</summary>
    public virtual bool SameValue(ReadOnlySpan<byte> memoryPack, ReadOnlySpan<byte> other) => memoryPack.SequenceEqual(other);

    /// <summary>MemoryPack bytes written by the generated state serializer to wire bytes.</summary>
    public virtual byte[] FromMemoryPack(ReadOnlySpan<byte> memoryPack)
    {
        var value = MemoryPackSerializer.Deserialize(ClrType, memoryPack)
            ?? throw new InvalidOperationException($"A null {ClrType} cannot be written as '{TypeName}': only a member back at its initial value is deleted.");
        return Encode(value);
    }
}

using MemoryPack;
using StatefulFunctions.Generation;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// A type serialized with MemoryPack (the default for message and state types): through its generated descriptor
/// when the type is a handled message type, otherwise through MemoryPack's own formatter for the type.
/// </summary>
internal sealed class MemoryPackValueCodec(string typeName, Type clrType, MessageTypeDescriptor? descriptor) : ValueCodec(typeName, clrType)
{
    public override byte[] Encode(object value) =>
        descriptor is not null ? descriptor.Serialize(value) : MemoryPackSerializer.Serialize(ClrType, value);

    public override object? Decode(ReadOnlySpan<byte> bytes) =>
        descriptor is not null ? descriptor.Deserialize(bytes) : MemoryPackSerializer.Deserialize(ClrType, bytes);

    // The wire bytes are MemoryPack bytes already; reading them once checks them.
    public override byte[] ToMemoryPack(ReadOnlySpan<byte> wire)
    {
        _ = Decode(wire);
        return wire.ToArray();
    }

    public override byte[] FromMemoryPack(ReadOnlySpan<byte> memoryPack) => memoryPack.ToArray();
}

using MemoryPack;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>A C# primitive (or its nullable form) as a StateFun built-in type (<c>io.statefun.types/int</c> and so on).</summary>
internal sealed class BuiltInValueCodec : ValueCodec
{
    private readonly Func<object?, byte[]> _pack;
    private readonly Func<byte[], object?> _unpack;

    public BuiltInValueCodec(string typeName, Type clrType)
        : base(typeName, clrType)
    {
        // Typed calls, as the generated serializer makes them, so that an int? member gets the bytes of an int?.
        (_pack, _unpack) = clrType switch
        {
            _ when clrType == typeof(bool) => Typed<bool>(),
            _ when clrType == typeof(bool?) => Typed<bool?>(),
            _ when clrType == typeof(int) => Typed<int>(),
            _ when clrType == typeof(int?) => Typed<int?>(),
            _ when clrType == typeof(long) => Typed<long>(),
            _ when clrType == typeof(long?) => Typed<long?>(),
            _ when clrType == typeof(float) => Typed<float>(),
            _ when clrType == typeof(float?) => Typed<float?>(),
            _ when clrType == typeof(double) => Typed<double>(),
            _ when clrType == typeof(double?) => Typed<double?>(),
            _ when clrType == typeof(string) => Typed<string?>(),
            _ => throw new ArgumentException($"{clrType} is not a StateFun built-in type.", nameof(clrType)),
        };
    }

    public override byte[] Encode(object value) => BuiltInTypes.Encode(value);

    public override object Decode(ReadOnlySpan<byte> bytes) => BuiltInTypes.Decode(TypeName, bytes);

    public override byte[] ToMemoryPack(ReadOnlySpan<byte> wire) => _pack(Decode(wire));

    // MemoryPack writes a Nullable<T> as its memory, padding included, and the padding bytes are whatever was there:
    // two forms of one int? can differ. Compare the values.
    public override bool SameValue(ReadOnlySpan<byte> memoryPack, ReadOnlySpan<byte> other) =>
        Equals(_unpack(memoryPack.ToArray()), _unpack(other.ToArray()));

    public override byte[] FromMemoryPack(ReadOnlySpan<byte> memoryPack) =>
        Encode(_unpack(memoryPack.ToArray())
            ?? throw new InvalidOperationException($"A null {ClrType} cannot be written as '{TypeName}': only a member back at its initial value is deleted."));

    private static (Func<object?, byte[]> Pack, Func<byte[], object?> Unpack) Typed<T>() =>
        (value => MemoryPackSerializer.Serialize((T)value!), bytes => MemoryPackSerializer.Deserialize<T>(bytes));
}

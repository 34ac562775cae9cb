namespace StatefulFunctions.Flink.Codecs;

/// <summary>A C# primitive as a StateFun built-in type (<c>io.statefun.types/int</c> and so on).</summary>
internal sealed class BuiltInValueCodec(string typeName, Type clrType) : ValueCodec(typeName, clrType)
{
    public override byte[] Encode(object value) => BuiltInTypes.Encode(value);

    public override object Decode(ReadOnlySpan<byte> bytes) => BuiltInTypes.Decode(TypeName, bytes);
}

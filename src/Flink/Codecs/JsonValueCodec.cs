using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>A type the application chose to send as UTF-8 JSON (to talk to functions in other languages).</summary>
[RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
[RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
internal sealed class JsonValueCodec(string typeName, Type clrType, JsonSerializerOptions options) : ValueCodec(typeName, clrType)
{
    public override byte[] Encode(object value) => JsonSerializer.SerializeToUtf8Bytes(value, ClrType, options);

    public override object? Decode(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize(bytes, ClrType, options);
}

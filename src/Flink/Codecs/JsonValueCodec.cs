using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// A type the application chose to send as UTF-8 JSON (to talk to functions in other languages). Messages are read
/// with <paramref name="messageOptions"/>, which refuse a message without the members its type cannot do without;
/// stored values with <paramref name="options"/> as they are, so state written before stays readable.
/// </summary>
[RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
[RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
internal sealed class JsonValueCodec(string typeName, Type clrType, JsonSerializerOptions options, JsonSerializerOptions messageOptions) : ValueCodec(typeName, clrType)
{
    public override byte[] Encode(object value) => JsonSerializer.SerializeToUtf8Bytes(value, ClrType, options);

    public override object? Decode(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize(MessageJson.WithoutByteOrderMark(bytes), ClrType, options);

    public override object? DecodeMessage(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize(MessageJson.WithoutByteOrderMark(bytes), ClrType, messageOptions);

    public override string? DescribeUnreadableMessage(Exception exception, ReadOnlySpan<byte> bytes) =>
        exception is JsonException json ? MessageJson.Describe(json, bytes, ClrType, messageOptions, TypeName) : null;
}

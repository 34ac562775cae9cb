using Google.Protobuf;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// A Google.Protobuf message, under the typename StateFun gives protobuf types:
/// <c>type.googleapis.com/{full message name}</c> (the Kafka and Kinesis egress records among them).
/// </summary>
internal sealed class ProtobufValueCodec(Type clrType, MessageParser parser, string fullName)
    : ValueCodec(TypeUrlPrefix + fullName, clrType)
{
    public const string TypeUrlPrefix = "type.googleapis.com/";

    public override byte[] Encode(object value) => ((IMessage)value).ToByteArray();

    public override object Decode(ReadOnlySpan<byte> bytes) => parser.ParseFrom(bytes);
}

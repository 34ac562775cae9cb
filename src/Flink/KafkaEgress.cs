using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using StatefulFunctions.Flink.Protocol.Egress;

namespace StatefulFunctions.Flink;

/// <summary>
/// Makes the records a StateFun Kafka egress writes: emit them to an <c>EgressId&lt;KafkaProducerRecord&gt;</c> whose
/// name is the egress id of the cluster's module.yaml, e.g.
/// <c>context.Emit(new EgressId&lt;KafkaProducerRecord&gt;("com.example/orders"), KafkaEgress.Record("orders", id, json))</c>.
/// Values follow the other SDKs' conventions: text as UTF-8, an <see cref="int"/> as 4 bytes big-endian (Kafka's
/// IntegerSerializer), a <see cref="long"/> as 8 and a <see cref="double"/> as 8 bytes big-endian.
/// </summary>
public static class KafkaEgress
{
    /// <summary>A record of raw bytes. An empty or null <paramref name="key"/> makes a record without key.</summary>
    public static KafkaProducerRecord Record(string topic, string? key, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return new KafkaProducerRecord { Topic = topic, Key = key ?? "", ValueBytes = ByteString.CopyFrom(value) };
    }

    /// <summary>A record whose value is UTF-8 text.</summary>
    public static KafkaProducerRecord Record(string topic, string? key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Record(topic, key, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A record whose value is a 4-byte big-endian integer.</summary>
    public static KafkaProducerRecord Record(string topic, string? key, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return Record(topic, key, bytes);
    }

    /// <summary>A record whose value is an 8-byte big-endian integer.</summary>
    public static KafkaProducerRecord Record(string topic, string? key, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return Record(topic, key, bytes);
    }

    /// <summary>A record whose value is an 8-byte big-endian IEEE 754 double.</summary>
    public static KafkaProducerRecord Record(string topic, string? key, double value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return Record(topic, key, bytes);
    }

    /// <summary>A record whose value is <paramref name="value"/> as UTF-8 JSON (web defaults unless <paramref name="options"/>).</summary>
    [RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
    [RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
    public static KafkaProducerRecord JsonRecord<T>(string topic, string? key, T value, JsonSerializerOptions? options = null) =>
        Record(topic, key, JsonSerializer.SerializeToUtf8Bytes(value, options ?? JsonSerializerOptions.Web));
}

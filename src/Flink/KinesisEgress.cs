using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using StatefulFunctions.Flink.Protocol.Egress;

namespace StatefulFunctions.Flink;

/// <summary>
/// Makes the records a StateFun Kinesis egress writes: emit them to an <c>EgressId&lt;KinesisEgressRecord&gt;</c> whose
/// name is the egress id of the cluster's module.yaml. The explicit hash key is used only when not empty.
/// </summary>
public static class KinesisEgress
{
    /// <summary>A record of raw bytes.</summary>
    public static KinesisEgressRecord Record(string stream, string partitionKey, ReadOnlySpan<byte> value, string? explicitHashKey = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        return new KinesisEgressRecord
        {
            Stream = stream,
            PartitionKey = partitionKey,
            ValueBytes = ByteString.CopyFrom(value),
            ExplicitHashKey = explicitHashKey ?? "",
        };
    }

    /// <summary>A record whose value is UTF-8 text.</summary>
    public static KinesisEgressRecord Record(string stream, string partitionKey, string value, string? explicitHashKey = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Record(stream, partitionKey, Encoding.UTF8.GetBytes(value), explicitHashKey);
    }

    /// <summary>A record whose value is <paramref name="value"/> as UTF-8 JSON (web defaults unless <paramref name="options"/>).</summary>
    [RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
    [RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
    public static KinesisEgressRecord JsonRecord<T>(string stream, string partitionKey, T value, string? explicitHashKey = null, JsonSerializerOptions? options = null) =>
        Record(stream, partitionKey, JsonSerializer.SerializeToUtf8Bytes(value, options ?? JsonSerializerOptions.Web), explicitHashKey);
}

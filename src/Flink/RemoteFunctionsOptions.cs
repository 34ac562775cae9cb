using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Google.Protobuf;

namespace StatefulFunctions.Flink;

/// <summary>Options of the endpoint <c>MapStatefulFunctionsRemote</c> serves to an Apache Flink StateFun cluster.</summary>
public sealed class RemoteFunctionsOptions
{
    private readonly HashSet<Type> _json = new();
    private readonly Dictionary<TypeName, Func<object, IMessage>> _egressRecords = new();

    /// <summary>
    /// The largest request body accepted, in bytes; larger ones get 413. Default 32 MiB, StateFun's own limit
    /// (<c>payload_max_bytes</c>).
    /// </summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// How the types named with <see cref="UseJson{T}"/> are written and read: web defaults (camelCase) unless changed.
    /// A message is read with one rule more: a member bound to a constructor parameter without a default value whose
    /// type is not nullable, and a <c>required</c> member, must be present and not null (else 422 naming it).
    /// </summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sends and reads values of <typeparamref name="T"/> (messages, egress records and persisted members) as UTF-8 JSON
    /// instead of MemoryPack, under the same typename, so functions written in other languages can read them.
    /// </summary>
    public RemoteFunctionsOptions UseJson<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>()
    {
        _json.Add(typeof(T));
        return this;
    }

    /// <summary>
    /// Sends the records a module emits to <paramref name="egress"/> as records of a StateFun Kafka egress of the same id:
    /// each one as UTF-8 JSON (<see cref="JsonOptions"/>) to <paramref name="topic"/>, keyed by <paramref name="key"/>
    /// (none when it returns null). The functions keep emitting their own record type; where it goes is deployment.
    /// </summary>
    [RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
    [RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
    public RemoteFunctionsOptions MapEgressToKafka<T>(EgressId<T> egress, string topic, Func<T, string?>? key = null)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        _egressRecords[egress.Name] = record => KafkaEgress.Record(topic, key?.Invoke((T)record), JsonSerializer.SerializeToUtf8Bytes((T)record, JsonOptions));
        return this;
    }

    /// <summary>
    /// Sends the records a module emits to <paramref name="egress"/> as records of a StateFun Kinesis egress of the same
    /// id: each one as UTF-8 JSON (<see cref="JsonOptions"/>) to <paramref name="stream"/>, partitioned by
    /// <paramref name="partitionKey"/>.
    /// </summary>
    [RequiresUnreferencedCode("JSON serialization of a user type uses reflection.")]
    [RequiresDynamicCode("JSON serialization of a user type uses reflection.")]
    public RemoteFunctionsOptions MapEgressToKinesis<T>(EgressId<T> egress, string stream, Func<T, string> partitionKey)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(partitionKey);
        _egressRecords[egress.Name] = record => KinesisEgress.Record(stream, partitionKey((T)record), JsonSerializer.SerializeToUtf8Bytes((T)record, JsonOptions));
        return this;
    }

    internal IReadOnlySet<Type> JsonTypes => _json;

    /// <summary>The egresses whose records become Kafka or Kinesis records, with the conversion.</summary>
    internal IReadOnlyDictionary<TypeName, Func<object, IMessage>> EgressRecords => _egressRecords;

    internal void Validate()
    {
        if (MaxRequestBytes <= 0)
        {
            throw new InvalidOperationException($"RemoteFunctionsOptions.MaxRequestBytes must be positive; it is {MaxRequestBytes}.");
        }

        ArgumentNullException.ThrowIfNull(JsonOptions, nameof(JsonOptions));
    }
}

using StatefulFunctions.Flink.Codecs;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink;

/// <summary>What the endpoint serves: every function type of the application's modules, and the codecs of its types.</summary>
internal sealed class RemoteFunctionCatalog
{
    private readonly Dictionary<TypeName, RemoteFunctionType> _functions;

    public RemoteFunctionCatalog(ApplicationModel model, RemoteFunctionsOptions options)
    {
        Model = model;
        EgressRecords = options.EgressRecords;
        Codecs = new ValueCodecs(model.MessageTypes, options.JsonTypes, options.JsonOptions);
        _functions = model.Functions.ToDictionary(f => f.Key, f => new RemoteFunctionType(f.Value, Codecs));
        Served = string.Join(", ", _functions.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
    }

    public ApplicationModel Model { get; }

    public ValueCodecs Codecs { get; }

    /// <summary>The egresses mapped to Kafka or Kinesis, with the conversion of their records.</summary>
    public IReadOnlyDictionary<TypeName, Func<object, Google.Protobuf.IMessage>> EgressRecords { get; }

    /// <summary>The served function types, for error messages.</summary>
    public string Served { get; }

    public RemoteFunctionType? Find(TypeName name) => _functions.GetValueOrDefault(name);
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// The codec of every type that crosses the endpoint, by CLR type (to write) and by typename (to read): C# primitives
/// as StateFun's built-in types, Google.Protobuf messages by their type URL, the types the application chose to send as
/// JSON, and everything else with MemoryPack under its stable message type name.
/// </summary>
internal sealed class ValueCodecs
{
    private readonly ConcurrentDictionary<Type, ValueCodec> _byType = new();
    private readonly Dictionary<string, ValueCodec> _byTypeName = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<Type, MessageTypeDescriptor> _descriptors;
    private readonly IReadOnlySet<Type> _json;
    private readonly JsonSerializerOptions _jsonOptions;
    private readonly JsonSerializerOptions _messageJsonOptions;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "JSON is used only for the types the application names with UseJson<T>(), which keeps them.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "JSON is used only for the types the application names with UseJson<T>().")]
    public ValueCodecs(IEnumerable<MessageTypeDescriptor> messageTypes, IReadOnlySet<Type> json, JsonSerializerOptions jsonOptions)
    {
        var descriptors = new Dictionary<Type, MessageTypeDescriptor>();
        foreach (var descriptor in messageTypes)
        {
            descriptors.TryAdd(descriptor.ClrType, descriptor);
        }

        _descriptors = descriptors;
        _json = json;
        _jsonOptions = jsonOptions;
        _messageJsonOptions = MessageJson.ForMessages(jsonOptions);

        foreach (var builtIn in new[] { typeof(bool), typeof(int), typeof(long), typeof(float), typeof(double), typeof(string) })
        {
            Register(For(builtIn));
        }

        foreach (var type in descriptors.Keys.Concat(json))
        {
            Register(For(type));
        }
    }

    /// <summary>The codec that reads values of <paramref name="typeName"/>, or null when no known type has that name.</summary>
    public ValueCodec? Find(string typeName) => _byTypeName.GetValueOrDefault(typeName);

    /// <summary>The typenames values can be read as, for error messages.</summary>
    public IEnumerable<string> KnownTypeNames => _byTypeName.Keys.Order(StringComparer.Ordinal);

    /// <summary>The codec of a CLR type (made once per type).</summary>
    public ValueCodec For(Type type) => _byType.GetOrAdd(type, Create);

    private void Register(ValueCodec codec)
    {
        if (_byTypeName.TryGetValue(codec.TypeName, out var existing) && existing.ClrType != codec.ClrType)
        {
            throw new InvalidOperationException(
                $"Two types travel under the typename '{codec.TypeName}': {existing.ClrType.FullName} and {codec.ClrType.FullName}. Give one of them another name with [MessageType(\"namespace/name\")].");
        }

        _byTypeName[codec.TypeName] = codec;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "See the constructor.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "See the constructor.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Generated protobuf messages keep their static Descriptor property.")]
    private ValueCodec Create(Type type)
    {
        var builtIn = BuiltInTypes.TypeNameOf(Nullable.GetUnderlyingType(type) ?? type);
        if (builtIn is not null)
        {
            return new BuiltInValueCodec(builtIn, type);
        }

        if (typeof(IMessage).IsAssignableFrom(type)
            && type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor protobuf)
        {
            return new ProtobufValueCodec(type, protobuf.Parser, protobuf.FullName);
        }

        var descriptor = _descriptors.GetValueOrDefault(type);
        var typeName = descriptor?.Name ?? RemoteTypeNames.Of(type);
        return _json.Contains(type)
            ? new JsonValueCodec(typeName, type, _jsonOptions, _messageJsonOptions)
            : new MemoryPackValueCodec(typeName, type, descriptor);
    }
}

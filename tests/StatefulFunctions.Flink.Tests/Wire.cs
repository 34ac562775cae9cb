using System.Text.Json;
using Google.Protobuf;
using MemoryPack;
using StatefulFunctions.Flink.Protocol;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Flink.Tests;

/// <summary>Builds requests as the StateFun runtime sends them, and reads the values of answers.</summary>
internal static class Wire
{
    public static WireAddress Address(string type, string id)
    {
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return new WireAddress { Namespace = type[..slash], Type = type[(slash + 1)..], Id = id };
    }

    public static TypedValue BuiltIn(object value) => new()
    {
        Typename = BuiltInTypes.TypeNameOf(value.GetType())!,
        HasValue = true,
        Value = ByteString.CopyFrom(BuiltInTypes.Encode(value)),
    };

    public static TypedValue MemoryPack<T>(string typeName, T value) => new()
    {
        Typename = typeName,
        HasValue = true,
        Value = ByteString.CopyFrom(MemoryPackSerializer.Serialize(value)),
    };

    public static TypedValue Json<T>(string typeName, T value) => new()
    {
        Typename = typeName,
        HasValue = true,
        Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web)),
    };

    /// <summary>A message as a value of its <c>[MessageType]</c> name, with MemoryPack.</summary>
    public static TypedValue Message<T>(T message) => MemoryPack(TypeNameOf(typeof(T)), message);

    public static string TypeNameOf(Type type) =>
        ((MessageTypeAttribute)Attribute.GetCustomAttribute(type, typeof(MessageTypeAttribute))!).Name;

    /// <summary>A batch for one address; <paramref name="state"/> maps a state name to its value (null: present without value).</summary>
    public static ToFunction Batch(WireAddress target, IEnumerable<(string Name, TypedValue? Value)>? state, params ToFunction.Types.Invocation[] invocations)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target };
        foreach (var (name, value) in state ?? [])
        {
            var persisted = new ToFunction.Types.PersistedValue { StateName = name };
            if (value is not null)
            {
                persisted.StateValue = value;
            }

            batch.State.Add(persisted);
        }

        batch.Invocations.AddRange(invocations);
        return new ToFunction { Invocation = batch };
    }

    public static ToFunction.Types.Invocation Call(TypedValue argument, WireAddress? caller = null)
    {
        var invocation = new ToFunction.Types.Invocation { Argument = argument };
        if (caller is not null)
        {
            invocation.Caller = caller;
        }

        return invocation;
    }

    public static T ReadMemoryPack<T>(TypedValue value) => MemoryPackSerializer.Deserialize<T>(value.Value.Span)!;
}

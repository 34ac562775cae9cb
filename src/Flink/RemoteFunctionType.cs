using StatefulFunctions.Flink.Codecs;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink;

/// <summary>A function type served to StateFun: the registered type and its state specs in declaration order.</summary>
internal sealed class RemoteFunctionType
{
    public RemoteFunctionType(FunctionType type, ValueCodecs codecs)
    {
        Type = type;
        State = type.Descriptor.PersistedValues
            .Select(member => new RemoteStateSpec(member, codecs.For(member.ValueType), type.InitialState[member.Name]))
            .ToArray();
    }

    public FunctionType Type { get; }

    public IReadOnlyList<RemoteStateSpec> State { get; }
}

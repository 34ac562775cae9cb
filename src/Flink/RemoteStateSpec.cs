using StatefulFunctions.Flink.Codecs;
using StatefulFunctions.Flink.Protocol;
using StatefulFunctions.Generation;
using ExpireMode = StatefulFunctions.Flink.Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode;

namespace StatefulFunctions.Flink;

/// <summary>One <c>[Persisted]</c> member as a StateFun value spec: its state name, typename, time to live and codec.</summary>
internal sealed class RemoteStateSpec
{
    public RemoteStateSpec(PersistedValueSpec member, ValueCodec codec, byte[] initial)
    {
        Name = member.Name;
        MemberName = member.MemberName;
        Codec = codec;
        Initial = initial;
        Wire = new FromFunction.Types.PersistedValueSpec { StateName = member.Name, TypeTypename = codec.TypeName };

        // Like the Java and JavaScript SDKs, a member without a time to live sends no expiration spec.
        if (member.Expiration != ExpirationMode.None)
        {
            Wire.ExpirationSpec = new FromFunction.Types.ExpirationSpec
            {
                Mode = member.Expiration == ExpirationMode.AfterWrite ? ExpireMode.AfterWrite : ExpireMode.AfterInvoke,
                ExpireAfterMillis = (long)member.ExpireAfter.TotalMilliseconds,
            };
        }
    }

    /// <summary>The state name (<c>[a-z_][a-z0-9_]*</c>).</summary>
    public string Name { get; }

    /// <summary>The C# member, for error messages.</summary>
    public string MemberName { get; }

    public ValueCodec Codec { get; }

    /// <summary>
    /// The MemoryPack bytes of the member's initial value (its field initializer, or default): what a state without a
    /// value reads as, and the value whose write is sent as a DELETE.
    /// </summary>
    public byte[] Initial { get; }

    /// <summary>The spec as sent in an <c>IncompleteInvocationContext</c>.</summary>
    public FromFunction.Types.PersistedValueSpec Wire { get; }
}

using StatefulFunctions.Flink.Protocol;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Flink.Tests;

/// <summary>Our .proto files read and write the bodies of the protocol's test vectors (from the JavaScript SDK).</summary>
public sealed class ProtocolVectorTests
{
    internal const string RequestWithoutState =
        "a206420a1a0a0b636f6d2e6578616d706c651207677265657465721a0275311a2412220a18696f2e737461746566756e2e74797065732f737472696e6710011a040a026869";

    internal const string IncompleteContextReply =
        "aa064a0a1d0a047365656e1a15696f2e737461746566756e2e74797065732f696e740a290a0574746c5f731206080110e0d4031a18696f2e737461746566756e2e74797065732f737472696e67";

    [Fact]
    public void The_request_without_state_parses_to_its_target_and_string_argument()
    {
        var request = ToFunction.Parser.ParseFrom(Convert.FromHexString(RequestWithoutState));

        var batch = request.Invocation;
        Assert.Equal(new WireAddress { Namespace = "com.example", Type = "greeter", Id = "u1" }, batch.Target);
        Assert.Empty(batch.State);
        var invocation = Assert.Single(batch.Invocations);
        Assert.Null(invocation.Caller);
        Assert.Equal(BuiltInTypes.String, invocation.Argument.Typename);
        Assert.True(invocation.Argument.HasValue);
        Assert.Equal("hi", BuiltInTypes.Decode(BuiltInTypes.String, invocation.Argument.Value.Span));
    }

    [Fact]
    public void The_incomplete_context_reply_parses_to_its_specs_and_writes_back_equal()
    {
        var reply = FromFunction.Parser.ParseFrom(Convert.FromHexString(IncompleteContextReply));

        var expected = new FromFunction
        {
            IncompleteInvocationContext = new FromFunction.Types.IncompleteInvocationContext
            {
                MissingValues =
                {
                    new FromFunction.Types.PersistedValueSpec { StateName = "seen", TypeTypename = BuiltInTypes.Int },
                    new FromFunction.Types.PersistedValueSpec
                    {
                        StateName = "ttl_s",
                        TypeTypename = BuiltInTypes.String,
                        ExpirationSpec = new FromFunction.Types.ExpirationSpec
                        {
                            Mode = FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite,
                            ExpireAfterMillis = 60_000,
                        },
                    },
                },
            },
        };
        Assert.Equal(expected, reply);
        Assert.Equal(expected, FromFunction.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(expected)));
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using StatefulFunctions.Flink.Protocol;
using StatefulFunctions.Flink.Protocol.Egress;
using MutationType = StatefulFunctions.Flink.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;

namespace StatefulFunctions.Flink.Tests;

/// <summary>The remote-function protocol over HTTP, against the endpoint on a real Kestrel server.</summary>
public sealed class RemoteEndpointTests(RemoteServer server) : IClassFixture<RemoteServer>
{
    private static readonly (string, TypedValue?)[] NoValues = [];

    [Fact]
    public async Task The_vector_request_without_state_gets_the_vector_incomplete_context()
    {
        using var response = await server.PostAsync(Convert.FromHexString(ProtocolVectorTests.RequestWithoutState));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = FromFunction.Parser.ParseFrom(Convert.FromHexString(ProtocolVectorTests.IncompleteContextReply));
        Assert.Equal(expected, FromFunction.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Missing_state_is_asked_for_then_the_retried_batch_runs_with_it()
    {
        var target = Wire.Address("com.example/greeter", "u1");
        var hi = Wire.Call(Wire.BuiltIn("hi"));

        var first = await server.InvokeAsync(Wire.Batch(target, NoValues, hi));
        Assert.Equal(FromFunction.ResponseOneofCase.IncompleteInvocationContext, first.ResponseCase);
        Assert.Equal(["seen", "ttl_s"], first.IncompleteInvocationContext.MissingValues.Select(v => v.StateName));

        // The runtime registers the specs and re-sends the same invocation, with the states (no values yet).
        var second = await server.InvokeAsync(Wire.Batch(target, [("seen", null), ("ttl_s", null)], hi));
        var mutations = second.InvocationResult.StateMutations;
        Assert.Equal(2, mutations.Count);
        Assert.Equal(("seen", MutationType.Modify, BuiltInTypes.Int), (mutations[0].StateName, mutations[0].MutationType, mutations[0].StateValue.Typename));
        Assert.Equal(Convert.FromHexString("0D01000000"), mutations[0].StateValue.Value.ToByteArray());
        Assert.Equal(("ttl_s", MutationType.Modify, "hi"), (mutations[1].StateName, mutations[1].MutationType, BuiltInTypes.Decode(BuiltInTypes.String, mutations[1].StateValue.Value.Span)));

        // Next time the runtime sends the stored values.
        var third = await server.InvokeAsync(Wire.Batch(target, [("seen", mutations[0].StateValue), ("ttl_s", mutations[1].StateValue)], Wire.Call(Wire.BuiltIn("again"))));
        Assert.Equal(2, BuiltInTypes.Decode(BuiltInTypes.Int, third.InvocationResult.StateMutations[0].StateValue.Value.Span));
    }

    [Fact]
    public async Task Only_the_missing_specs_are_listed_and_unknown_states_are_ignored()
    {
        var reply = await server.InvokeAsync(Wire.Batch(
            Wire.Address("com.example/greeter", "u2"),
            [("seen", Wire.BuiltIn(41)), ("not_ours", Wire.BuiltIn("x"))],
            Wire.Call(Wire.BuiltIn("hi"))));

        var missing = Assert.Single(reply.IncompleteInvocationContext.MissingValues);
        Assert.Equal("ttl_s", missing.StateName);
        Assert.Equal(BuiltInTypes.String, missing.TypeTypename);
        Assert.Equal(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite, missing.ExpirationSpec.Mode);
        Assert.Equal(60_000, missing.ExpirationSpec.ExpireAfterMillis);
    }

    [Fact]
    public async Task A_batch_of_three_runs_in_order_on_one_state_and_yields_one_mutation_per_changed_member()
    {
        var reply = await server.InvokeAsync(Wire.Batch(
            Wire.Address("test/counter", "c"),
            [("total", Wire.BuiltIn(10L)), ("calls", null)],
            Wire.Call(Wire.BuiltIn(1)), Wire.Call(Wire.BuiltIn(2)), Wire.Call(Wire.BuiltIn(3))));

        var mutations = reply.InvocationResult.StateMutations;
        Assert.Equal(["total", "calls"], mutations.Select(m => m.StateName));
        Assert.All(mutations, m => Assert.Equal(MutationType.Modify, m.MutationType));
        Assert.Equal(16L, BuiltInTypes.Decode(BuiltInTypes.Long, mutations[0].StateValue.Value.Span));
        Assert.Equal(BuiltInTypes.Long, mutations[0].StateValue.Typename);

        // "calls" had no value, so it started from its field initializer (100).
        Assert.Equal(103, BuiltInTypes.Decode(BuiltInTypes.Int, mutations[1].StateValue.Value.Span));
    }

    [Fact]
    public async Task A_member_back_at_its_initial_value_is_deleted_a_changed_one_modified_an_untouched_one_left_out()
    {
        var target = Wire.Address("test/profile", "p");
        const string tagsType = "System.Collections.Generic.List<System.String>";
        var state = new (string, TypedValue?)[]
        {
            ("name", Wire.BuiltIn("ada")),
            ("tags", Wire.MemoryPack(tagsType, new List<string> { "x" })),
            ("visits", Wire.BuiltIn(5)),
        };

        var reply = await server.InvokeAsync(Wire.Batch(target, state, Wire.Call(Wire.Message(new Rename(null))), Wire.Call(Wire.Message(new Tag("y")))));

        var mutations = reply.InvocationResult.StateMutations;
        Assert.Equal(2, mutations.Count);
        Assert.Equal(("name", MutationType.Delete), (mutations[0].StateName, mutations[0].MutationType));
        Assert.Null(mutations[0].StateValue);
        Assert.Equal(("tags", MutationType.Modify, tagsType), (mutations[1].StateName, mutations[1].MutationType, mutations[1].StateValue.Typename));
        Assert.Equal(["x", "y"], Wire.ReadMemoryPack<List<string>>(mutations[1].StateValue));

        var cleared = await server.InvokeAsync(Wire.Batch(target, state, Wire.Call(Wire.Message(new Tag("")))));
        var delete = Assert.Single(cleared.InvocationResult.StateMutations);
        Assert.Equal(("tags", MutationType.Delete), (delete.StateName, delete.MutationType));

        // Writing every member with the value it already has is no change at all.
        var touched = await server.InvokeAsync(Wire.Batch(target, state, Wire.Call(Wire.Message(new Touch()))));
        Assert.Equal(FromFunction.ResponseOneofCase.InvocationResult, touched.ResponseCase);
        Assert.Empty(touched.InvocationResult.StateMutations);
    }

    [Fact]
    public async Task The_specs_carry_the_member_types_and_times_to_live()
    {
        var reply = await server.InvokeAsync(Wire.Batch(Wire.Address("test/profile", "p"), NoValues, Wire.Call(Wire.Message(new Touch()))));

        var specs = reply.IncompleteInvocationContext.MissingValues;
        Assert.Equal(["name", "tags", "visits"], specs.Select(s => s.StateName));
        Assert.Equal([BuiltInTypes.String, "System.Collections.Generic.List<System.String>", BuiltInTypes.Int], specs.Select(s => s.TypeTypename));
        Assert.Null(specs[0].ExpirationSpec);
        Assert.Equal(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke, specs[2].ExpirationSpec.Mode);
        Assert.Equal(3_600_000, specs[2].ExpirationSpec.ExpireAfterMillis);
    }

    [Fact]
    public async Task A_message_with_a_caller_is_answered_to_it_and_one_without_goes_to_the_egress()
    {
        var target = Wire.Address("test/echo", "e1");
        var caller = Wire.Address("other.lang/client", "c7");

        var reply = await server.InvokeAsync(Wire.Batch(target, NoValues, Wire.Call(Wire.Message(new Ping("with")), caller), Wire.Call(Wire.Message(new Ping("without")))));

        var result = reply.InvocationResult;
        var sent = Assert.Single(result.OutgoingMessages);
        Assert.Equal(caller, sent.Target);
        Assert.Equal("test/pong", sent.Argument.Typename);
        Assert.Equal(new Pong("with", "e1"), Wire.ReadMemoryPack<Pong>(sent.Argument));

        var egress = Assert.Single(result.OutgoingEgresses);
        Assert.Equal(("test", "unanswered", "test/pong"), (egress.EgressNamespace, egress.EgressType, egress.Argument.Typename));
        Assert.Equal(new Pong("without", null), Wire.ReadMemoryPack<Pong>(egress.Argument));
        Assert.Empty(result.StateMutations);
    }

    [Fact]
    public async Task Delayed_messages_with_and_without_a_token_and_a_cancellation_have_the_protocol_shape()
    {
        var target = Wire.Address("test/timer", "t");

        var reply = await server.InvokeAsync(Wire.Batch(
            target,
            [("ticks", null), ("last_delay", null)],
            Wire.Call(Wire.Message(new Schedule(1500, null))),
            Wire.Call(Wire.Message(new Schedule(250, "reminder"))),
            Wire.Call(Wire.Message(new Cancel("reminder")))));

        // In call order; the message with a token comes after a cancellation of that token (it replaces a pending one).
        var delayed = reply.InvocationResult.DelayedInvocations;
        Assert.Equal(4, delayed.Count);

        Assert.False(delayed[0].IsCancellationRequest);
        Assert.Equal((1500L, target, ""), (delayed[0].DelayInMs, delayed[0].Target, delayed[0].CancellationToken));
        Assert.Equal(new Tick(0), Wire.ReadMemoryPack<Tick>(delayed[0].Argument));

        // A cancellation sets only the flag and the token.
        var cancellation = new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = "reminder" };
        Assert.Equal(cancellation, delayed[1]);
        Assert.Equal(cancellation.ToByteArray(), delayed[1].ToByteArray());

        Assert.Equal((250L, "reminder", "test/tick"), (delayed[2].DelayInMs, delayed[2].CancellationToken, delayed[2].Argument.Typename));
        Assert.Equal(cancellation, delayed[3]);

        // An int? member travels as StateFun's int.
        var lastDelay = Assert.Single(reply.InvocationResult.StateMutations);
        Assert.Equal(("last_delay", BuiltInTypes.Int, 250), (lastDelay.StateName, lastDelay.StateValue.Typename, BuiltInTypes.Decode(BuiltInTypes.Int, lastDelay.StateValue.Value.Span)));
        var again = await server.InvokeAsync(Wire.Batch(target, [("ticks", null), ("last_delay", lastDelay.StateValue)], Wire.Call(Wire.Message(new Schedule(250, null)))));
        Assert.Empty(again.InvocationResult.StateMutations);
    }

    [Fact]
    public async Task Kafka_and_kinesis_records_go_out_as_the_generic_egress_records()
    {
        var reply = await server.InvokeAsync(Wire.Batch(Wire.Address("test/publisher", "p"), NoValues, Wire.Call(Wire.Message(new Publish("k1", "héllo")))));

        var egresses = reply.InvocationResult.OutgoingEgresses;
        Assert.Equal(2, egresses.Count);

        Assert.Equal(("com.example", "kafka"), (egresses[0].EgressNamespace, egresses[0].EgressType));
        Assert.Equal("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord", egresses[0].Argument.Typename);
        Assert.True(egresses[0].Argument.HasValue);
        var kafka = KafkaProducerRecord.Parser.ParseFrom(egresses[0].Argument.Value);
        Assert.Equal(("greetings", "k1", "héllo"), (kafka.Topic, kafka.Key, kafka.ValueBytes.ToStringUtf8()));

        Assert.Equal("type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord", egresses[1].Argument.Typename);
        var kinesis = KinesisEgressRecord.Parser.ParseFrom(egresses[1].Argument.Value);
        Assert.Equal(("greetings", "k1", "héllo", ""), (kinesis.Stream, kinesis.PartitionKey, kinesis.ValueBytes.ToStringUtf8(), kinesis.ExplicitHashKey));
    }

    [Fact]
    public async Task An_egress_mapped_to_kafka_sends_its_records_as_json_kafka_records()
    {
        var reply = await server.InvokeAsync(Wire.Batch(Wire.Address("test/shipper", "s"), NoValues, Wire.Call(Wire.Message(new Ship("parcel-9", 4)))));

        var egress = Assert.Single(reply.InvocationResult.OutgoingEgresses);
        Assert.Equal(("com.example", "shipments"), (egress.EgressNamespace, egress.EgressType));
        Assert.Equal("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord", egress.Argument.Typename);
        var record = KafkaProducerRecord.Parser.ParseFrom(egress.Argument.Value);
        Assert.Equal(("shipments", "parcel-9"), (record.Topic, record.Key));
        Assert.Equal("""{"parcel":"parcel-9","kilograms":4,"status":"sent"}""", record.ValueBytes.ToStringUtf8());
    }

    [Fact]
    public async Task Types_chosen_as_json_are_read_and_written_as_json()
    {
        var reply = await server.InvokeAsync(Wire.Batch(
            Wire.Address("test/publisher", "p"),
            NoValues,
            Wire.Call(Wire.Json("test/order-placed", new OrderPlaced("o-1", 3)))));

        var egress = Assert.Single(reply.InvocationResult.OutgoingEgresses);
        Assert.Equal("test/receipt", egress.Argument.Typename);
        Assert.Equal("""{"id":"o-1","total":30}""", egress.Argument.Value.ToStringUtf8());
    }

    [Theory]
    [InlineData("""{"quantity":3}""", "The 'test/order-placed' message is missing 'orderId'.")]
    [InlineData("""{}""", "The 'test/order-placed' message is missing 'orderId' and 'quantity'.")]
    [InlineData("""{"orderId":null,"quantity":3}""", "The 'orderId' of a 'test/order-placed' message must not be null.")]
    public async Task A_json_message_missing_a_required_member_is_refused_naming_it_and_nothing_of_the_batch_applies(string json, string detail)
    {
        using var response = await server.PostAsync(Wire.Batch(
            Wire.Address("test/publisher", "p"),
            NoValues,
            Wire.Call(Wire.Json("test/order-placed", new OrderPlaced("o-0", 1))),
            Wire.Call(new TypedValue { Typename = "test/order-placed", HasValue = true, Value = ByteString.CopyFromUtf8(json) })).ToByteArray());

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, detail);
    }

    [Fact]
    public async Task A_json_message_may_start_with_a_utf8_byte_order_mark()
    {
        var json = Encoding.UTF8.Preamble.ToArray().Concat(Encoding.UTF8.GetBytes("""{"orderId":"o-2","quantity":2}""")).ToArray();
        var reply = await server.InvokeAsync(Wire.Batch(
            Wire.Address("test/publisher", "p"),
            NoValues,
            Wire.Call(new TypedValue { Typename = "test/order-placed", HasValue = true, Value = ByteString.CopyFrom(json) })));

        var egress = Assert.Single(reply.InvocationResult.OutgoingEgresses);
        Assert.Equal("""{"id":"o-2","total":20}""", egress.Argument.Value.ToStringUtf8());
    }

    [Fact]
    public async Task A_state_value_of_another_type_is_refused_naming_the_state_and_both_types()
    {
        using var response = await server.PostAsync(Wire.Batch(
            Wire.Address("com.example/greeter", "u3"),
            [("seen", Wire.BuiltIn("not an int")), ("ttl_s", null)],
            Wire.Call(Wire.BuiltIn("hi"))).ToByteArray());

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "'seen'", BuiltInTypes.String, BuiltInTypes.Int);
    }

    [Fact]
    public async Task A_throwing_handler_gets_500_so_that_the_runtime_retries_the_batch()
    {
        using var response = await server.PostAsync(Wire.Batch(
            Wire.Address("test/counter", "c"),
            [("total", null), ("calls", null)],
            Wire.Call(Wire.BuiltIn(1)),
            Wire.Call(Wire.Message(new Fail("the disk is full")))).ToByteArray());

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "the disk is full");
    }

    [Fact]
    public async Task An_unknown_function_type_gets_404_naming_the_served_ones()
    {
        using var response = await server.PostAsync(Wire.Batch(Wire.Address("com.example/nobody", "x"), NoValues, Wire.Call(Wire.BuiltIn("hi"))).ToByteArray());

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "'com.example/nobody'", "com.example/greeter", "test/counter");
    }

    [Fact]
    public async Task A_message_type_the_function_does_not_handle_gets_422()
    {
        using var unknown = await server.PostAsync(Wire.Batch(
            Wire.Address("test/echo", "e"), NoValues, Wire.Call(new TypedValue { Typename = "other/thing", HasValue = true })).ToByteArray());
        await AssertProblemAsync(unknown, HttpStatusCode.UnprocessableEntity, "'other/thing'", "test/ping");

        using var unhandled = await server.PostAsync(Wire.Batch(
            Wire.Address("test/echo", "e"), NoValues, Wire.Call(Wire.Message(new Tick(1)))).ToByteArray());
        await AssertProblemAsync(unhandled, HttpStatusCode.UnprocessableEntity, "'test/tick'", "test/echo");
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("no-batch")]
    [InlineData("no-target")]
    [InlineData("no-invocations")]
    [InlineData("no-argument")]
    [InlineData("bad-address")]
    public async Task A_malformed_request_gets_400_with_a_reason(string kind)
    {
        var target = Wire.Address("test/echo", "e");
        var body = kind switch
        {
            "empty" => [],
            "garbage" => Encoding.UTF8.GetBytes("{\"not\": \"protobuf\"}"),
            "no-batch" => new ToFunction().ToByteArray(),
            "no-target" => new ToFunction { Invocation = new() { Invocations = { Wire.Call(Wire.Message(new Ping("x"))) } } }.ToByteArray(),
            "no-invocations" => Wire.Batch(target, NoValues).ToByteArray(),
            "no-argument" => Wire.Batch(target, NoValues, new ToFunction.Types.Invocation()).ToByteArray(),
            "bad-address" => Wire.Batch(new Protocol.Address { Namespace = "test", Type = "echo" }, NoValues, Wire.Call(Wire.Message(new Ping("x")))).ToByteArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await server.PostAsync(body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_octet_stream_or_too_large_is_refused()
    {
        var request = Wire.Batch(Wire.Address("test/echo", "e"), NoValues, Wire.Call(Wire.Message(new Ping("x")))).ToByteArray();
        using var json = await server.PostAsync(request, "application/json");
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "application/octet-stream");

        var huge = Wire.Batch(Wire.Address("test/echo", "e"), NoValues, Wire.Call(Wire.Message(new Ping(new string('x', (int)RemoteServer.MaxRequestBytes))))).ToByteArray();
        using var tooLarge = await server.PostAsync(huge);
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "MaxRequestBytes");
    }

    [Fact]
    public async Task The_answer_content_type_is_exactly_octet_stream_without_parameters()
    {
        using var response = await server.PostAsync(Wire.Batch(Wire.Address("test/echo", "e"), NoValues, Wire.Call(Wire.Message(new Ping("x")))).ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", Assert.Single(response.Content.Headers.GetValues("Content-Type")));
        Assert.Equal(response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] detailContains)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType, $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
        using var problem = JsonDocument.Parse(text);
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        foreach (var part in detailContains)
        {
            Assert.Contains(part, detail, StringComparison.Ordinal);
        }
    }
}

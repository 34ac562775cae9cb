using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Google.Protobuf;
using StatefulFunctions.Flink;
using StatefulFunctions.Flink.Protocol;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Samples.Tests;

/// <summary>The ride-sharing sample in remote mode, called as a Flink StateFun cluster calls it.</summary>
public sealed partial class RideSharingFlinkTests
{
    [Fact]
    public async Task In_flink_mode_a_ride_request_from_kafka_as_json_asks_for_state_then_creates_the_ride()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var sample = await SampleServer.StartAsync("RideSharing", AppContext.BaseDirectory, ListeningOn(), deadline.Token, "--flink", "--urls", "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(sample.Address) };
        var passenger = new WireAddress { Namespace = "rides", Type = "passenger", Id = "ada" };

        // What a Kafka ingress with valueType rides/request-ride delivers: the record's JSON value.
        var request = new ToFunction.Types.Invocation
        {
            Argument = new TypedValue { Typename = "rides/request-ride", HasValue = true, Value = ByteString.CopyFromUtf8("""{"fromCell":"3:4","toCell":"5:5"}""") },
        };

        var first = await InvokeAsync(http, Batch(passenger, [], request), deadline.Token);
        Assert.Equal(["requested", "completed", "current_ride"], first.IncompleteInvocationContext.MissingValues.Select(v => v.StateName));

        var second = await InvokeAsync(http, Batch(passenger, ["requested", "completed", "current_ride"], request), deadline.Token);
        var result = second.InvocationResult;
        var sent = Assert.Single(result.OutgoingMessages);
        Assert.Equal(new WireAddress { Namespace = "rides", Type = "ride", Id = "ada-1" }, sent.Target);
        Assert.Equal(["requested", "current_ride"], result.StateMutations.Select(m => m.StateName));
        Assert.Equal(1, BuiltInTypes.Decode(BuiltInTypes.Int, result.StateMutations[0].StateValue.Value.Span));
        Assert.Equal("ada-1", BuiltInTypes.Decode(BuiltInTypes.String, result.StateMutations[1].StateValue.Value.Span));
    }

    private static ToFunction Batch(WireAddress target, string[] states, ToFunction.Types.Invocation invocation)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target, Invocations = { invocation } };
        batch.State.AddRange(states.Select(name => new ToFunction.Types.PersistedValue { StateName = name }));
        return new ToFunction { Invocation = batch };
    }

    private static async Task<FromFunction> InvokeAsync(HttpClient http, ToFunction request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync("/statefun", content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/octet-stream", Assert.Single(response.Content.Headers.GetValues("Content-Type")));
        return FromFunction.Parser.ParseFrom(body);
    }

    [GeneratedRegex(@"on (http://127\.0\.0\.1:\d+)/statefun")]
    private static partial Regex ListeningOn();
}

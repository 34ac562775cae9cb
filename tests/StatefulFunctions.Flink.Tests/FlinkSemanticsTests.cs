using Google.Protobuf;
using StatefulFunctions.Flink.Protocol;
using MutationType = StatefulFunctions.Flink.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;

namespace StatefulFunctions.Flink.Tests;

/// <summary>
/// The smallest cases of the meaning delayed messages and time to live share with the embedded runtime, as a StateFun
/// cluster sees them in the endpoint's answers (the embedded side is in the runtime tests).
/// </summary>
public sealed class FlinkSemanticsTests(RemoteServer server) : IClassFixture<RemoteServer>
{
    private static readonly FromFunction.Types.DelayedInvocation CancelT1 = new() { IsCancellationRequest = true, CancellationToken = "t1" };

    [Fact]
    public async Task Cancel_then_reschedule_answers_the_cancellation_first_as_StateFuns_SDKs_do()
    {
        var delayed = (await RunAsync("a", NoState, new Step(StepKind.Cancel, Token: "t1"), new Step(StepKind.SendAfter, DelayMs: 1000, Token: "t1")))
            .InvocationResult.DelayedInvocations;

        Assert.Equal([CancelT1, Later("a", 1000, "t1")], delayed);
    }

    [Fact]
    public async Task Schedule_then_cancel_keeps_call_order_so_the_cancellation_cancels_the_message_just_scheduled()
    {
        var delayed = (await RunAsync("b", NoState, new Step(StepKind.SendAfter, DelayMs: 500, Token: "t1"), new Step(StepKind.Cancel, Token: "t1")))
            .InvocationResult.DelayedInvocations;

        // The first cancellation is the endpoint's own: a message with a token replaces a pending one (see below).
        Assert.Equal([CancelT1, Later("b", 500, "t1"), CancelT1], delayed);
    }

    [Fact]
    public async Task A_second_delayed_send_with_a_pending_token_replaces_it_by_cancelling_it_first()
    {
        // A StateFun cluster fails the job on a token that is still pending, so each message with a token is preceded by
        // its cancellation (a no-op when nothing is pending), and the last one wins, as in the embedded runtime.
        var first = await RunAsync("c", NoState, new Step(StepKind.SendAfter, DelayMs: 100, Token: "t1"));
        Assert.Equal([CancelT1, Later("c", 100, "t1")], first.InvocationResult.DelayedInvocations);

        var twice = await RunAsync("c", NoState, new Step(StepKind.SendAfter, DelayMs: 100, Token: "t1"), new Step(StepKind.SendAfter, DelayMs: 200, Token: "t1"));
        Assert.Equal([CancelT1, Later("c", 100, "t1"), CancelT1, Later("c", 200, "t1")], twice.InvocationResult.DelayedInvocations);

        // Without a token nothing is cancelled.
        var plain = await RunAsync("c", NoState, new Step(StepKind.SendAfter, DelayMs: 100));
        Assert.Equal([Later("c", 100, null)], plain.InvocationResult.DelayedInvocations);
    }

    [Fact]
    public async Task Writing_a_partial_property_again_with_its_value_is_a_MODIFY_so_the_cluster_renews_its_time_to_live()
    {
        var state = new[] { ("name", (TypedValue?)null), ("note", Wire.BuiltIn("ann")), ("count", Wire.BuiltIn(3)) };

        var rewritten = await RunAsync("d", state, new Step(StepKind.SetNote, "ann"));
        var mutation = Assert.Single(rewritten.InvocationResult.StateMutations);
        Assert.Equal(("note", MutationType.Modify, "ann"), (mutation.StateName, mutation.MutationType, BuiltInTypes.Decode(BuiltInTypes.String, mutation.StateValue.Value.Span)));

        // Not written: nothing is said, and the cluster's time to live runs on.
        Assert.Empty((await RunAsync("d", state)).InvocationResult.StateMutations);
    }

    [Fact]
    public async Task A_send_to_an_id_outside_the_address_limits_fails_the_handler_as_in_the_embedded_runtime()
    {
        var request = Wire.Batch(Wire.Address("test/scripted", "e"), NoState, Wire.Call(Wire.Json("test/script", new Script([new Step(StepKind.Send, new string('v', 1025))]))));
        using var response = await server.PostAsync(request.ToByteArray());

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("at most 1,024 bytes in UTF-8, not 1,025", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static readonly (string, TypedValue?)[] NoState = [("name", null), ("note", null), ("count", null)];

    private Task<FromFunction> RunAsync(string id, (string, TypedValue?)[] state, params Step[] steps) =>
        server.InvokeAsync(Wire.Batch(Wire.Address("test/scripted", id), state, Wire.Call(Wire.Json("test/script", new Script([.. steps])))));

    private static FromFunction.Types.DelayedInvocation Later(string id, long delayMs, string? token) => new()
    {
        DelayInMs = delayMs,
        Target = Wire.Address("com.example/greeter", id),
        Argument = Wire.BuiltIn("later"),
        CancellationToken = token ?? "",
    };
}

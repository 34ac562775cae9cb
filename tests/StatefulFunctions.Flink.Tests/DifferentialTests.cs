using System.Globalization;
using System.Text;
using Google.Protobuf;
using StatefulFunctions.Flink.Protocol;
using StatefulFunctions.Flink.Protocol.Egress;
using ExpireMode = StatefulFunctions.Flink.Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode;
using MutationType = StatefulFunctions.Flink.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Flink.Tests;

/// <summary>
/// Random invocation batches for <see cref="Scripted"/>, answered by the endpoint and by <see cref="SdkModel"/>, a
/// model of what StateFun's own SDKs answer for the same function; the answers must be equal, byte for byte. Between
/// batches a small cluster keeps the state the answers leave, expires <c>note</c> a minute after its last write on a
/// virtual clock, and sometimes forgets a spec, so requests carry missing, absent, expired and present state. The seed
/// is printed on a failure; <c>STATEFUN_DIFFERENTIAL_SEED</c> reruns one, <c>STATEFUN_DIFFERENTIAL_SEEDS=N</c> runs
/// seeds 1 to N. With <c>STATEFUN_JS_REFERENCE</c> set to the URL of <c>Reference/scripted.js</c> (the same function
/// on the official JavaScript SDK; <c>tests/differential-js.sh</c> starts it), every answer is also compared with the
/// SDK's own, the documented cancellations added.
/// </summary>
public sealed class DifferentialTests(RemoteServer server) : IClassFixture<RemoteServer>
{
    private const int BatchesPerSeed = 60;
    private static readonly Uri? JsReference =
        Environment.GetEnvironmentVariable("STATEFUN_JS_REFERENCE") is { Length: > 0 } url ? new Uri(url) : null;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        if (int.TryParse(Environment.GetEnvironmentVariable("STATEFUN_DIFFERENTIAL_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var one))
        {
            data.Add(one);
            return data;
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("STATEFUN_DIFFERENTIAL_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            for (var seed = 1; seed <= count; seed++)
            {
                data.Add(seed);
            }

            return data;
        }

        foreach (var seed in new[] { 1, 2, 3, 5, 8, 13, 21, 34 })
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task The_endpoint_answers_random_batches_as_StateFuns_SDKs_do(int seed)
    {
        var random = new Random(seed);
        var cluster = new Cluster();
        for (var batch = 0; batch < BatchesPerSeed; batch++)
        {
            cluster.Now += random.Next(0, 45_000);
            var id = "s" + random.Next(3).ToString(CultureInfo.InvariantCulture);
            var request = cluster.Request(id, random);
            var expected = WithReplacingCancellations(SdkModel.Answer(request.Invocation));
            var actual = await server.InvokeAsync(request);
            Assert.True(
                expected.Equals(actual),
                $"Seed {seed}, batch {batch} (rerun with STATEFUN_DIFFERENTIAL_SEED={seed}):\nrequest  {Format(request)}\nexpected {Format(expected)}\nactual   {Format(actual)}");
            if (JsReference is not null)
            {
                var sdk = WithReplacingCancellations(await AskReferenceAsync(request));
                Assert.True(
                    sdk.Equals(actual),
                    $"Seed {seed}, batch {batch}: the JavaScript SDK answers otherwise.\nrequest  {Format(request)}\nsdk      {Format(sdk)}\nactual   {Format(actual)}");
            }

            cluster.Apply(id, actual);
        }
    }

    private static async Task<FromFunction> AskReferenceAsync(ToFunction request)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(request.ToByteArray());
        using var response = await http.PostAsync(JsReference, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"The JavaScript reference answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        return FromFunction.Parser.ParseFrom(body);
    }

    /// <summary>An SDK's answer with the one documented addition: a cancellation before each delayed message with a token, unless just cancelled.</summary>
    private static FromFunction WithReplacingCancellations(FromFunction answer)
    {
        if (answer.ResponseCase != FromFunction.ResponseOneofCase.InvocationResult)
        {
            return answer;
        }

        var delayed = answer.InvocationResult.DelayedInvocations.ToList();
        answer.InvocationResult.DelayedInvocations.Clear();
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var invocation in delayed)
        {
            if (invocation.IsCancellationRequest)
            {
                cancelled.Add(invocation.CancellationToken);
            }
            else if (invocation.CancellationToken.Length > 0 && !cancelled.Remove(invocation.CancellationToken))
            {
                answer.InvocationResult.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = invocation.CancellationToken });
            }

            answer.InvocationResult.DelayedInvocations.Add(invocation);
        }

        return answer;
    }

    private static string Format(IMessage message) => JsonFormatter.Default.Format(message);

    /// <summary>What the StateFun runtime keeps for the scripted instances between batches.</summary>
    private sealed class Cluster
    {
        private const long NoteTtlMs = 60_000;
        private readonly Dictionary<string, Dictionary<string, (TypedValue Value, long WrittenAt)>> _state = new();

        public long Now { get; set; }

        public ToFunction Request(string id, Random random)
        {
            var stored = State(id);
            var values = new List<(string, TypedValue?)>();
            foreach (var name in SdkModel.StateNames)
            {
                if (random.Next(25) == 0)
                {
                    continue; // the spec is not registered (a restart forgot it): the endpoint asks for it
                }

                var live = stored.TryGetValue(name, out var value) && !(name == "note" && Now - value.WrittenAt >= NoteTtlMs);
                values.Add((name, live ? value.Value : null));
            }

            var invocations = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Wire.Call(Wire.Json("test/script", RandomScript(random)), RandomCaller(random)));
            return Wire.Batch(Wire.Address("test/scripted", id), values, [.. invocations]);
        }

        public void Apply(string id, FromFunction answer)
        {
            if (answer.ResponseCase != FromFunction.ResponseOneofCase.InvocationResult)
            {
                return;
            }

            var stored = State(id);
            foreach (var mutation in answer.InvocationResult.StateMutations)
            {
                if (mutation.MutationType == MutationType.Delete)
                {
                    stored.Remove(mutation.StateName);
                }
                else
                {
                    stored[mutation.StateName] = (mutation.StateValue, Now); // a MODIFY is a write: it renews the TTL
                }
            }
        }

        private Dictionary<string, (TypedValue Value, long WrittenAt)> State(string id)
        {
            if (!_state.TryGetValue(id, out var stored))
            {
                stored = new Dictionary<string, (TypedValue, long)>(StringComparer.Ordinal);
                _state.Add(id, stored);
            }

            return stored;
        }

        private static WireAddress? RandomCaller(Random random) => random.Next(3) switch
        {
            0 => null,
            1 => Wire.Address("com.example/greeter", "h"),
            _ => Wire.Address("com.example/greeter", "g"),
        };

        private static Script RandomScript(Random random)
        {
            string[] texts = ["ann", "bob", ""];
            string?[] values = ["ann", "bob", null];
            string?[] tokens = ["t1", "t2", null];
            var steps = new List<Step>();
            for (var i = random.Next(0, 7); i > 0; i--)
            {
                var kind = (StepKind)random.Next(Enum.GetValues<StepKind>().Length);
                steps.Add(kind switch
                {
                    StepKind.Send => new Step(kind, texts[random.Next(2)]),
                    StepKind.SendAfter => new Step(kind, DelayMs: random.Next(0, 3) * 250, Token: tokens[random.Next(tokens.Length)]),
                    StepKind.Cancel => new Step(kind, Token: tokens[random.Next(2)]),
                    StepKind.SetName or StepKind.SetNote => new Step(kind, values[random.Next(values.Length)]),
                    StepKind.Increment => new Step(kind),
                    _ => new Step(kind, texts[random.Next(texts.Length)]),
                });
            }

            return new Script(steps);
        }
    }

    /// <summary>
    /// What a StateFun SDK (the JavaScript one is the reference) answers for <see cref="Scripted"/>: every effect in
    /// call order across the batch, a MODIFY for each state the batch set (DELETE when set to nothing), and for the
    /// field, as documented, a MODIFY when its value changed. The endpoint's one documented addition is applied by
    /// <see cref="WithReplacingCancellations"/>, to this model's answer and to the real SDK's alike.
    /// </summary>
    private static class SdkModel
    {
        public static readonly string[] StateNames = ["name", "note", "count"];

        public static FromFunction Answer(ToFunction.Types.InvocationBatchRequest batch)
        {
            var received = batch.State.ToDictionary(s => s.StateName, s => s.StateValue, StringComparer.Ordinal);
            var missing = StateNames.Where(name => !received.ContainsKey(name)).ToList();
            if (missing.Count > 0)
            {
                var incomplete = new FromFunction.Types.IncompleteInvocationContext();
                incomplete.MissingValues.AddRange(missing.Select(Spec));
                return new FromFunction { IncompleteInvocationContext = incomplete };
            }

            string? name = Read(received["name"], BuiltInTypes.String) as string;
            string? note = Read(received["note"], BuiltInTypes.String) as string;
            var count = Read(received["count"], BuiltInTypes.Int) as int? ?? 0;
            var startCount = count;
            bool nameSet = false, noteSet = false;
            var self = batch.Target;
            var response = new FromFunction.Types.InvocationResponse();
            foreach (var invocation in batch.Invocations)
            {
                var script = System.Text.Json.JsonSerializer.Deserialize<Script>(invocation.Argument.Value.Span, System.Text.Json.JsonSerializerOptions.Web)!;
                foreach (var step in script.Steps)
                {
                    switch (step.Kind)
                    {
                        case StepKind.Send:
                            response.OutgoingMessages.Add(new FromFunction.Types.Invocation { Target = Wire.Address("com.example/greeter", step.Text!), Argument = Wire.BuiltIn("to " + step.Text) });
                            break;
                        case StepKind.SendAfter:
                            response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation
                            {
                                DelayInMs = step.DelayMs,
                                Target = Wire.Address("com.example/greeter", self.Id),
                                Argument = Wire.BuiltIn("later"),
                                CancellationToken = step.Token ?? "",
                            });
                            break;
                        case StepKind.Cancel:
                            response.DelayedInvocations.Add(Cancellation(step.Token!));
                            break;
                        case StepKind.SetName:
                            (name, nameSet) = (step.Text, true);
                            break;
                        case StepKind.SetNote:
                            (note, noteSet) = (step.Text, true);
                            break;
                        case StepKind.Increment:
                            count++;
                            break;
                        case StepKind.Kafka:
                            response.OutgoingEgresses.Add(Kafka(KafkaEgress.Record("scripts", self.Id, step.Text!)));
                            break;
                        case StepKind.Kinesis:
                            response.OutgoingEgresses.Add(new FromFunction.Types.EgressMessage
                            {
                                EgressNamespace = "com.example",
                                EgressType = "kinesis",
                                Argument = Any(KinesisEgress.Record("scripts", self.Id, step.Text!)),
                            });
                            break;
                        case StepKind.Answer:
                            if (invocation.Caller is { } caller)
                            {
                                response.OutgoingMessages.Add(new FromFunction.Types.Invocation { Target = caller, Argument = Wire.BuiltIn("answer " + step.Text) });
                            }
                            else
                            {
                                response.OutgoingEgresses.Add(Kafka(KafkaEgress.Record("unanswered", self.Id, step.Text!)));
                            }

                            break;
                    }
                }
            }

            if (nameSet)
            {
                response.StateMutations.Add(Mutation("name", name is null ? null : Wire.BuiltIn(name)));
            }

            if (noteSet)
            {
                response.StateMutations.Add(Mutation("note", note is null ? null : Wire.BuiltIn(note)));
            }

            if (count != startCount)
            {
                response.StateMutations.Add(Mutation("count", count == 0 ? null : Wire.BuiltIn(count)));
            }

            return new FromFunction { InvocationResult = response };
        }

        private static FromFunction.Types.PersistedValueSpec Spec(string name)
        {
            var spec = new FromFunction.Types.PersistedValueSpec { StateName = name, TypeTypename = name == "count" ? BuiltInTypes.Int : BuiltInTypes.String };
            if (name == "note")
            {
                spec.ExpirationSpec = new FromFunction.Types.ExpirationSpec { Mode = ExpireMode.AfterWrite, ExpireAfterMillis = 60_000 };
            }

            return spec;
        }

        private static object? Read(TypedValue? value, string typeName) =>
            value is { HasValue: true } ? BuiltInTypes.Decode(typeName, value.Value.Span) : null;

        private static FromFunction.Types.DelayedInvocation Cancellation(string token) =>
            new() { IsCancellationRequest = true, CancellationToken = token };

        private static FromFunction.Types.PersistedValueMutation Mutation(string name, TypedValue? value) => value is null
            ? new() { MutationType = MutationType.Delete, StateName = name }
            : new() { MutationType = MutationType.Modify, StateName = name, StateValue = value };

        private static FromFunction.Types.EgressMessage Kafka(KafkaProducerRecord record) =>
            new() { EgressNamespace = "com.example", EgressType = "kafka", Argument = Any(record) };

        private static TypedValue Any(IMessage record) => new()
        {
            Typename = "type.googleapis.com/" + record.Descriptor.FullName,
            HasValue = true,
            Value = record.ToByteString(),
        };
    }
}

using Google.Protobuf;
using StatefulFunctions.Flink.Protocol;
using MutationType = StatefulFunctions.Flink.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Flink.Tests;

/// <summary>
/// A small model of the StateFun runtime's side of the request-reply protocol (PROTOCOL.md §5), driving a real endpoint:
/// state kept per address between calls under the specs it registered, batches of the invocations waiting for an
/// address, incomplete-context registration and re-send, delayed messages on a virtual clock with cancellation, egress
/// collected. It also fails the way a cluster does: an answer lost (the same batch is sent again) and a restart (the
/// registered specs are forgotten, the stored values kept, so the next request carries no state).
/// </summary>
internal sealed class StateFunModel(RemoteServer server, Random random)
{
    private readonly Dictionary<string, FromFunction.Types.PersistedValueSpec> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<WireAddress, Dictionary<string, TypedValue>> _state = new();
    private readonly Dictionary<WireAddress, List<ToFunction.Types.Invocation>> _pending = new();
    private readonly List<(long Due, long Sequence, WireAddress Target, ToFunction.Types.Invocation Invocation, string Token)> _delayed = new();
    private long _now;
    private long _sequence;

    /// <summary>The chance that an answer is lost and its batch sent again.</summary>
    public double LostAnswers { get; init; } = 0.1;

    /// <summary>The chance, before each batch, that the runtime restarts and forgets its registered specs.</summary>
    public double Restarts { get; init; } = 0.02;

    public int MaxBatch { get; init; } = 5;

    public List<FromFunction.Types.EgressMessage> Egress { get; } = new();

    public int Requests { get; private set; }

    public int Retries { get; private set; }

    public int IncompleteContexts { get; private set; }

    /// <summary>A message from an ingress (no caller).</summary>
    public void Ingest(WireAddress target, TypedValue argument) => Enqueue(target, new ToFunction.Types.Invocation { Argument = argument });

    /// <summary>Runs one batch, or when no address has work, fires the next delayed message. False when nothing is left.</summary>
    public async Task<bool> StepAsync()
    {
        if (_pending.Count == 0)
        {
            if (_delayed.Count == 0)
            {
                return false;
            }

            var next = _delayed.OrderBy(d => d.Due).ThenBy(d => d.Sequence).First();
            _delayed.Remove(next);
            _now = Math.Max(_now, next.Due);
            Enqueue(next.Target, next.Invocation);
        }

        var target = _pending.Keys.ElementAt(random.Next(_pending.Count));
        var waiting = _pending[target];
        var batch = waiting.Take(random.Next(1, MaxBatch + 1)).ToList();
        waiting.RemoveRange(0, batch.Count);
        if (waiting.Count == 0)
        {
            _pending.Remove(target);
        }

        await RunAsync(target, batch);
        return true;
    }

    public async Task RunToCompletionAsync()
    {
        while (await StepAsync())
        {
        }
    }

    private async Task RunAsync(WireAddress target, List<ToFunction.Types.Invocation> invocations)
    {
        if (random.NextDouble() < Restarts)
        {
            _registered.Clear();
        }

        while (true)
        {
            var request = new ToFunction.Types.InvocationBatchRequest { Target = target };
            request.Invocations.AddRange(invocations);
            var stored = _state.GetValueOrDefault(target);
            foreach (var (name, spec) in _registered)
            {
                var value = new ToFunction.Types.PersistedValue { StateName = name };
                if (stored?.GetValueOrDefault(name) is { } present)
                {
                    value.StateValue = present;
                }

                request.State.Add(value);
            }

            Requests++;
            var answer = await server.InvokeAsync(new ToFunction { Invocation = request });
            if (random.NextDouble() < LostAnswers)
            {
                Retries++;
                continue;
            }

            if (answer.ResponseCase == FromFunction.ResponseOneofCase.IncompleteInvocationContext)
            {
                IncompleteContexts++;
                Register(answer.IncompleteInvocationContext.MissingValues);
                continue;
            }

            Apply(target, answer.InvocationResult);
            return;
        }
    }

    /// <summary>Registration is idempotent: a known spec keeps its TTL, and only its type is checked.</summary>
    private void Register(IEnumerable<FromFunction.Types.PersistedValueSpec> specs)
    {
        foreach (var spec in specs)
        {
            if (_registered.TryGetValue(spec.StateName, out var known))
            {
                Assert.Equal(known.TypeTypename, spec.TypeTypename);
                continue;
            }

            _registered.Add(spec.StateName, spec);
        }
    }

    /// <summary>Applies an answer in the runtime's order: messages, delayed messages, egress, then state.</summary>
    private void Apply(WireAddress self, FromFunction.Types.InvocationResponse response)
    {
        foreach (var message in response.OutgoingMessages)
        {
            Enqueue(message.Target, new ToFunction.Types.Invocation { Caller = self, Argument = message.Argument });
        }

        foreach (var delayed in response.DelayedInvocations)
        {
            if (delayed.IsCancellationRequest)
            {
                Assert.NotEmpty(delayed.CancellationToken);
                _delayed.RemoveAll(d => d.Token == delayed.CancellationToken);
                continue;
            }

            var invocation = new ToFunction.Types.Invocation { Caller = self, Argument = delayed.Argument };
            _delayed.Add((_now + delayed.DelayInMs, _sequence++, delayed.Target, invocation, delayed.CancellationToken));
        }

        Egress.AddRange(response.OutgoingEgresses);

        foreach (var mutation in response.StateMutations)
        {
            Assert.True(_registered.TryGetValue(mutation.StateName, out var spec), $"a mutation of the unregistered state '{mutation.StateName}'");
            var values = _state.TryGetValue(self, out var existing) ? existing : _state[self] = new Dictionary<string, TypedValue>(StringComparer.Ordinal);
            if (mutation.MutationType == MutationType.Delete)
            {
                values.Remove(mutation.StateName);
                continue;
            }

            Assert.Equal(spec!.TypeTypename, mutation.StateValue.Typename);
            values[mutation.StateName] = new TypedValue { Typename = spec.TypeTypename, HasValue = true, Value = ByteString.CopyFrom(mutation.StateValue.Value.Span) };
        }
    }

    private void Enqueue(WireAddress target, ToFunction.Types.Invocation invocation)
    {
        if (!_pending.TryGetValue(target, out var waiting))
        {
            _pending[target] = waiting = new List<ToFunction.Types.Invocation>();
        }

        waiting.Add(invocation);
    }
}

using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefulFunctions.Flink.Codecs;
using StatefulFunctions.Flink.Protocol;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;
using MutationType = StatefulFunctions.Flink.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;
using WireAddress = StatefulFunctions.Flink.Protocol.Address;

namespace StatefulFunctions.Flink;

/// <summary>
/// Runs one invocation batch of StateFun's request-reply protocol. The state comes with the request and leaves as
/// mutations in the answer, so nothing is kept here between requests: a retried batch runs again from the same state.
/// </summary>
internal sealed class RemoteInvocationHandler(RemoteFunctionCatalog catalog, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
{
    private readonly RemoteInvocationHost _host = new(catalog, timeProvider, loggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>
    /// Answers a request: <c>IncompleteInvocationContext</c> when a state spec is missing, else the batch's effects and
    /// one mutation per member that changed over the whole batch. Throws <see cref="RemoteRequestException"/> for a
    /// request that cannot be run, and whatever a handler throws.
    /// </summary>
    public async ValueTask<FromFunction> InvokeAsync(ToFunction request)
    {
        var batch = request.Invocation
            ?? throw BadRequest("The request carries no invocation batch (ToFunction.invocation is not set).");
        if (batch.Target is null)
        {
            throw BadRequest("The invocation batch has no target address.");
        }

        if (batch.Invocations.Count == 0)
        {
            throw BadRequest($"The invocation batch for '{Format(batch.Target)}' has no invocations.");
        }

        var target = ToAddress(batch.Target, "target");
        var function = catalog.Find(target.Type) ?? throw new RemoteRequestException(
            StatusCodes.Status404NotFound,
            "Unknown function type",
            $"Function type '{target.Type}' is not served here. This endpoint serves: {catalog.Served}.");

        var received = new Dictionary<string, ToFunction.Types.PersistedValue>(StringComparer.Ordinal);
        foreach (var value in batch.State)
        {
            received.TryAdd(value.StateName, value);
        }

        // Every spec the request lacks is missing, in declaration order; extra states we do not know are ignored.
        var missing = function.State.Where(spec => !received.ContainsKey(spec.Name)).ToList();
        if (missing.Count > 0)
        {
            var incomplete = new FromFunction.Types.IncompleteInvocationContext();
            incomplete.MissingValues.AddRange(missing.Select(spec => spec.Wire));
            return new FromFunction { IncompleteInvocationContext = incomplete };
        }

        var committed = ReadState(function, target, received);
        var instance = function.Type.Descriptor.Factory();
        instance.ReadState(new StateReader(committed, target.ToString()));

        var response = new FromFunction.Types.InvocationResponse();
        var context = new InvocationContext(_host);
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var invocation in batch.Invocations)
        {
            var message = ReadArgument(function, invocation.Argument);
            var caller = invocation.Caller is null ? (Address?)null : ToAddress(invocation.Caller, "caller");
            context.Begin(new Envelope(target, caller, message, reply: null));
            await instance.DispatchAsync(context, message).ConfigureAwait(false);
            Collect(context.Effects, response, cancelled);
        }

        var writer = new StateWriter();
        writer.Begin(committed);
        instance.WriteState(writer);
        if (writer.Changed is { } changed)
        {
            foreach (var spec in function.State)
            {
                // A member set again to the value it had is still a write (a partial property): it renews its TTL.
                if (changed.TryGetValue(spec.Name, out var bytes) && (writer.WasWritten(spec.Name) || !spec.Codec.SameValue(bytes, committed[spec.Name])))
                {
                    response.StateMutations.Add(Mutation(spec, bytes));
                }
            }
        }

        return new FromFunction { InvocationResult = response };
    }

    /// <summary>
    /// The MemoryPack bytes of each member, as the generated serializer reads them: the received value, or the
    /// member's initial value when the state has none (never set, deleted or expired).
    /// </summary>
    private static Dictionary<string, byte[]> ReadState(RemoteFunctionType function, Address target, Dictionary<string, ToFunction.Types.PersistedValue> received)
    {
        var committed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var spec in function.State)
        {
            var value = received[spec.Name].StateValue;
            if (value is null || !value.HasValue)
            {
                committed[spec.Name] = spec.Initial;
                continue;
            }

            if (value.Typename != spec.Codec.TypeName)
            {
                throw Unprocessable(
                    "State type mismatch",
                    $"State '{spec.Name}' of {target} arrived as '{value.Typename}', but {function.Type.Descriptor.FunctionType.Name}.{spec.MemberName} is stored as '{spec.Codec.TypeName}' ({spec.Codec.ClrType}). Was the state written by another version of the function?");
            }

            try
            {
                committed[spec.Name] = spec.Codec.ToMemoryPack(value.Value.Span);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                throw Unprocessable(
                    "Unreadable state",
                    $"State '{spec.Name}' of {target} ({value.Value.Length} bytes of '{value.Typename}') could not be read as {spec.Codec.ClrType}: {exception.Message}",
                    exception);
            }
        }

        return committed;
    }

    private object ReadArgument(RemoteFunctionType function, TypedValue? argument)
    {
        if (argument is null || !argument.HasValue)
        {
            throw BadRequest($"An invocation of '{function.Type.Name}' has no argument.");
        }

        var codec = catalog.Codecs.Find(argument.Typename) ?? throw Unprocessable(
            "Unknown message type",
            $"'{argument.Typename}' is not a message type known here. Function '{function.Type.Name}' handles: {string.Join(", ", function.Type.Descriptor.MessageTypes.Select(m => m.Name))}.");

        object? message;
        try
        {
            message = codec.DecodeMessage(argument.Value.Span);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw Unprocessable(
                "Unreadable message",
                codec.DescribeUnreadableMessage(exception, argument.Value.Span)
                    ?? $"A '{argument.Typename}' message ({argument.Value.Length} bytes) could not be read as {codec.ClrType}: {exception.Message}",
                exception);
        }

        if (message is null || !function.Type.Handles(message.GetType()))
        {
            throw Unprocessable(
                "Message not handled",
                $"Function '{function.Type.Name}' ({function.Type.Descriptor.FunctionType.FullName}) does not handle '{argument.Typename}' messages.");
        }

        return message;
    }

    /// <summary>
    /// Adds one call's effects to the answer, in the order the handler made them. <paramref name="cancelled"/> holds
    /// the tokens the answer cancelled since it last scheduled a message with them (over the whole batch).
    /// </summary>
    private void Collect(Effects effects, FromFunction.Types.InvocationResponse response, HashSet<string> cancelled)
    {
        foreach (var send in effects.Sends)
        {
            response.OutgoingMessages.Add(new FromFunction.Types.Invocation { Target = ToWire(send.Target), Argument = Write(send.Message) });
        }

        foreach (var delayed in effects.Delayed)
        {
            if (delayed.IsCancellation)
            {
                response.DelayedInvocations.Add(Cancellation(delayed.Token));
                cancelled.Add(delayed.Token);
                continue;
            }

            // A delayed message replaces the pending one with its token (IContext.SendAfter). A StateFun cluster
            // refuses a token that is still pending, so the answer cancels it first, unless it just did.
            if (delayed.Token is { } token && !cancelled.Remove(token))
            {
                response.DelayedInvocations.Add(Cancellation(token));
            }

            response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation
            {
                // Rounded up, so that a delayed message never arrives before its delay has passed.
                DelayInMs = (long)Math.Ceiling(delayed.Delay.TotalMilliseconds),
                Target = ToWire(delayed.Envelope.Target),
                Argument = Write(delayed.Envelope.Message),
                CancellationToken = delayed.Token ?? "",
            });
        }

        foreach (var (egress, record) in effects.Egress)
        {
            response.OutgoingEgresses.Add(new FromFunction.Types.EgressMessage
            {
                EgressNamespace = egress.Namespace,
                EgressType = egress.Name,
                Argument = Write(catalog.EgressRecords.TryGetValue(egress, out var convert) ? convert(record) : record),
            });
        }
    }

    private static FromFunction.Types.DelayedInvocation Cancellation(string token) =>
        new() { IsCancellationRequest = true, CancellationToken = token };

    /// <summary>A member back at its initial value is deleted (an absent value reads as it); any other change is a MODIFY.</summary>
    private static FromFunction.Types.PersistedValueMutation Mutation(RemoteStateSpec spec, byte[] memoryPack)
    {
        if (spec.Codec.SameValue(memoryPack, spec.Initial))
        {
            return new FromFunction.Types.PersistedValueMutation { MutationType = MutationType.Delete, StateName = spec.Name };
        }

        return new FromFunction.Types.PersistedValueMutation
        {
            MutationType = MutationType.Modify,
            StateName = spec.Name,
            StateValue = new TypedValue
            {
                Typename = spec.Codec.TypeName,
                HasValue = true,
                Value = ByteString.CopyFrom(spec.Codec.FromMemoryPack(memoryPack)),
            },
        };
    }

    private TypedValue Write(object value)
    {
        var codec = catalog.Codecs.For(value.GetType());
        return new TypedValue { Typename = codec.TypeName, HasValue = true, Value = ByteString.CopyFrom(codec.Encode(value)) };
    }

    private static Address ToAddress(WireAddress address, string role)
    {
        if (!TypeName.TryParse($"{address.Namespace}/{address.Type}", out var type) || address.Id.Length == 0)
        {
            throw BadRequest($"The {role} address '{Format(address)}' is not a function address: it needs a namespace, a type and an id.");
        }

        return new Address(type, address.Id);
    }

    private static WireAddress ToWire(Address address) =>
        new() { Namespace = address.Type.Namespace, Type = address.Type.Name, Id = address.Id };

    private static string Format(WireAddress address) => $"{address.Namespace}/{address.Type}/{address.Id}";

    private static RemoteRequestException BadRequest(string detail) =>
        new(StatusCodes.Status400BadRequest, "Malformed request", detail);

    private static RemoteRequestException Unprocessable(string title, string detail, Exception? inner = null) =>
        new(StatusCodes.Status422UnprocessableEntity, title, detail, inner);
}

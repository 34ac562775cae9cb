using System.Collections.Concurrent;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Replies that outlive the call that got the ask: routes, the client asks waiting for them, and answers to functions.
public sealed partial class StatefulFunctionsRuntime
{
    /// <summary>Client asks (without idempotency key) whose reply a handler deferred, by waiter number.</summary>
    private readonly ConcurrentDictionary<long, TaskCompletionSource<object?>> _waiters = new();
    private long _lastWaiter;

    /// <summary>This run of the runtime: a route to a waiting client ask is only good in the run it was made in.</summary>
    internal string RunId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The reply a client ask waits for: its task's state is its waiter number, by which a deferred reply finds it.</summary>
    internal TaskCompletionSource<object?> NewWaiter() =>
        new(Interlocked.Increment(ref _lastWaiter), TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The client ask is over (answered, timed out or cancelled): a later answer finds nobody.</summary>
    internal void ForgetWaiter(TaskCompletionSource<object?> waiter)
    {
        if (waiter.Task.AsyncState is long number)
        {
            _waiters.TryRemove(number, out _);
        }
    }

    ReplyRoute? IInvocationHost.RouteOf(Envelope envelope)
    {
        if (envelope.ReplyTo is { } forwarded)
        {
            return forwarded;
        }

        if (envelope.Idempotency is { } entry)
        {
            return ReplyRoute.Keyed(entry);
        }

        if (envelope.Reply is { Task.AsyncState: long number } waiter)
        {
            _waiters[number] = waiter;
            return ReplyRoute.Waiter(RunId, number);
        }

        return null;
    }

    MessageTypeDescriptor IInvocationHost.ReplyTypeOf(Address asker, Type replyMessageType) =>
        ReplyMessages.DescriptorOf(GetFunctionType(asker.Type), replyMessageType);

    Envelope IInvocationHost.AnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure) =>
        AnswerTo(route, from, status, value, failure);

    /// <summary>The answer to a function's ask, as the message that takes it to the asker.</summary>
    internal Envelope AnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure) =>
        ReplyMessages.AnswerTo(Codec.Find(route.ReplyMessageType!), route, from, status, value, failure);

    /// <summary>The answer to a function's ask, or null when the asker no longer handles its answer type (it then gets its timeout).</summary>
    internal Envelope? TryAnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure) =>
        Codec.Find(route.ReplyMessageType!) is IReplyFactory ? AnswerTo(route, from, status, value, failure) : null;

    /// <summary>
    /// Gives a client ask its reply through its route, once the call that answered is committed. A keyed ask keeps the
    /// first answer only: in durable mode the commit chose it (<see cref="Answer.Entry"/>), in memory it is chosen here.
    /// </summary>
    private void Release(Answer answer)
    {
        var route = answer.Route;
        if (route.Kind == ReplyRouteKind.Waiter)
        {
            if (route.Key == RunId && _waiters.TryRemove(route.Number, out var waiter))
            {
                if (answer.NoReply)
                {
                    waiter.TrySetException(NoReplyException(answer.About));
                }
                else
                {
                    waiter.TrySetResult(answer.Value);
                }
            }

            return;
        }

        var entry = Commit.ReleasesLater ? answer.Entry : ClaimKeyed(route);
        entry?.SetOutcome(answer.NoReply ? ReplyOutcome.NoReply : ReplyOutcome.Replied, answer.Value);
    }

    /// <summary>The dedup record a keyed route answers, when this is its first answer (and the record is still remembered).</summary>
    internal IdempotencyEntry? ClaimKeyed(ReplyRoute route) =>
        Idempotency.Find(route.Address, route.Key, route.Number) is { } entry && entry.TryClaimReply() ? entry : null;

    /// <summary>
    /// A message that carried its reply's route was dead-lettered: the ask the route leads to gets that failure. A
    /// keyed ask gets it when this is its first outcome; a function that asked gets it as the returned answer message.
    /// When <paramref name="committed"/> (durable storage), the dead letter's commit has done those two: only a waiting
    /// client ask is left.
    /// </summary>
    internal Envelope? AnswerDeadLettered(Envelope envelope, string text, Exception? exception, bool committed)
    {
        switch (envelope.ReplyTo)
        {
            case { Kind: ReplyRouteKind.Waiter } route when route.Key == RunId && _waiters.TryRemove(route.Number, out var waiter):
                waiter.TrySetException(new DeadLetterException(text, exception ?? new InvalidOperationException(text)));
                return null;
            case not null when committed:
                return null;
            case { Kind: ReplyRouteKind.Keyed } route:
                ClaimKeyed(route)?.SetOutcome(ReplyOutcome.DeadLettered, detail: text);
                return null;
            case { Kind: ReplyRouteKind.Asker } route:
                return TryAnswerTo(route, envelope.Target, ReplyStatus.DeadLettered, value: null, text);
            default:
                return null;
        }
    }

    internal static InvalidOperationException NoReplyException(Envelope envelope) => new(
        $"{envelope.Target} handled {envelope.Message.GetType().FullName} without calling context.Reply(...), so AskAsync has no answer.");
}

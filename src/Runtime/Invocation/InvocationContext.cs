using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="IContext"/> of one handler call; a shard reuses one, since it runs one call at a time.</summary>
internal sealed class InvocationContext(IInvocationHost host) : IContext
{
    /// <summary>The token prefix of the timeouts of asks between functions.</summary>
    internal const string AskTokenPrefix = "statefun.ask/";

    private Envelope _envelope = null!;
    private Activity? _activity;

    public Effects Effects { get; private set; } = new();

    public Address Self => _envelope.Target;

    public Address? Caller => _envelope.Caller;

    /// <summary>
    /// The trace context a sent message carries: this call's span, or, when it has none (no listener, or not
    /// sampled), the context the handled message came with, so the trace is not cut.
    /// </summary>
    private string? TraceParentOfSends => _activity?.Id ?? _envelope.TraceParent;

    public DateTimeOffset Now => host.TimeProvider.GetUtcNow();

    // Made when asked for: a handler that does not log allocates nothing for it.
    public ILogger Logger => new HandlerLogger(host.LoggerOf(Self.Type), Self, _envelope.Message.GetType());

    /// <summary>
    /// Starts a call; <paramref name="fresh"/> gives it new effect buffers instead of clearing the last ones.
    /// <paramref name="activity"/> is the call's span, the parent of the spans of the messages it sends.
    /// </summary>
    public void Begin(Envelope envelope, bool fresh = false, Activity? activity = null)
    {
        _envelope = envelope;
        _activity = activity;
        if (fresh)
        {
            Effects = new Effects();
        }
        else
        {
            Effects.Clear();
        }
    }

    public void Send(Address target, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        host.CheckDeliverable(target, message);
        Effects.Sends.Add(new Envelope(target, Self, message, reply: null) { TraceParent = TraceParentOfSends });
    }

    public void Send<TFunction, TMessage>(Address<TFunction> target, TMessage message)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull =>
        Send(target.Untyped, message);

    public void SendAfter(TimeSpan delay, Address target, object message, string? cancellationToken = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (cancellationToken is { Length: 0 })
        {
            throw new ArgumentException("A cancellation token cannot be empty: pass null for a delayed message that will not be cancelled.", nameof(cancellationToken));
        }

        host.CheckDeliverable(target, message);
        Effects.Delayed.Add(DelayedEffect.Send(delay, new Envelope(target, Self, message, reply: null) { TraceParent = TraceParentOfSends }, cancellationToken));
    }

    public void SendAfter<TFunction, TMessage>(TimeSpan delay, Address<TFunction> target, TMessage message, string? cancellationToken = null)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull =>
        SendAfter(delay, target.Untyped, message, cancellationToken);

    public void CancelDelayed(string cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cancellationToken);
        Effects.Delayed.Add(DelayedEffect.Cancel(cancellationToken));
    }

    public void Emit<T>(EgressId<T> egress, T record)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(record);
        host.CheckEgress(egress.Name, typeof(T));
        Effects.Egress.Add((egress.Name, record));
        if (_activity is not null)
        {
            RuntimeTracing.EgressEmitted(_activity, egress.Name, record);
        }
    }

    public void Reply(object reply)
    {
        if (Effects.ReplyDeferred)
        {
            throw new InvalidOperationException(
                $"{Self} replied to {_envelope.Message.GetType().FullName} after deferring or forwarding its reply: answer the PendingReply instead (a handler that returns its reply cannot defer it).");
        }

        Effects.HasReply = true;
        Effects.Reply = reply;
    }

    public PendingReply<TReply> DeferReply<TReply>(IAsk<TReply> message)
    {
        if (!ReferenceEquals(message, _envelope.Message))
        {
            throw new ArgumentException($"DeferReply takes the message being handled ({_envelope.Message.GetType().FullName}), not another one.", nameof(message));
        }

        return new PendingReply<TReply>(TakeReply());
    }

    public void Reply<TReply>(PendingReply<TReply> pending, TReply reply)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.Route is { } route)
        {
            Answer(route, reply);
        }
    }

    public void Forward(Address target, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        host.CheckDeliverable(target, message);
        Effects.Sends.Add(new Envelope(target, Self, message, reply: null) { TraceParent = TraceParentOfSends, ReplyTo = TakeReply() });
    }

    public void Forward<TFunction, TMessage>(Address<TFunction> target, TMessage message)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull =>
        Forward(target.Untyped, message);

    public void Ask<TReply>(Address target, IAsk<TReply> message, string correlation, TimeSpan? timeout = null) =>
        Ask<TReply>(target, (object)message, correlation, timeout);

    /// <summary>An ask of any message whose answer is a <typeparamref name="TReply"/> (the generated <c>Ask</c> checked that).</summary>
    internal void Ask<TReply>(Address target, object message, string correlation, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(correlation);
        var wait = timeout ?? StatefulFunctionsClientExtensions.DefaultAskTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        host.CheckDeliverable(target, message);
        var replyType = host.ReplyTypeOf(Self, typeof(Reply<TReply>));

        // The ask's timeout is a delayed message to this instance under a token of its own: the answer cancels it, and
        // whichever of the two comes first is the one the asker gets (see the dispatcher).
        var token = AskTokenPrefix + Guid.NewGuid().ToString("N");
        var route = ReplyRoute.Asker(Self, token, correlation, replyType.Name);
        Effects.Sends.Add(new Envelope(target, Self, message, reply: null) { TraceParent = TraceParentOfSends, ReplyTo = route });
        // Sent by this instance, which owns its token; the token is also what tells the timeout from an answer.
        var failure = $"No reply from {target} to {message.GetType().FullName} within {wait}.";
        var timedOut = new Envelope(Self, Self, host.AnswerTo(route, target, ReplyStatus.TimedOut, value: null, failure).Message, reply: null)
        {
            TraceParent = TraceParentOfSends,
            Token = token,
            AnswersAsk = token,
        };
        Effects.Delayed.Add(DelayedEffect.Send(wait, timedOut, token));
    }

    /// <summary>
    /// Ends a call that returned: the reply it gave goes where its message's reply goes, when that was passed along
    /// with the message (forwarded, or asked by a function).
    /// </summary>
    public void End()
    {
        if (Effects.ReplyDeferred || _envelope.ReplyTo is not { } route)
        {
            return;
        }

        if (Effects.HasReply)
        {
            Answer(route, Effects.Reply);
        }
        else if (route.Kind != ReplyRouteKind.Asker)
        {
            // A function that asked gets its timeout; an ask from outside learns at once that no reply comes.
            Effects.Answers.Add(new Answer(route, value: null, noReply: true, about: _envelope));
        }
    }

    /// <summary>Takes this call's reply obligation, to be answered later: this call then gives none itself.</summary>
    private ReplyRoute? TakeReply()
    {
        if (Effects.HasReply)
        {
            throw new InvalidOperationException($"{Self} already replied to {_envelope.Message.GetType().FullName}: a reply cannot be deferred or forwarded after it is given.");
        }

        Effects.ReplyDeferred = true;
        return host.RouteOf(_envelope);
    }

    private void Answer(ReplyRoute route, object? reply)
    {
        if (route.Kind == ReplyRouteKind.Asker)
        {
            var answer = host.AnswerTo(route, Self, ReplyStatus.Answered, reply, failure: null);
            answer.TraceParent = TraceParentOfSends;
            Effects.Sends.Add(answer);
        }
        else
        {
            Effects.Answers.Add(new Answer(route, reply, noReply: false, about: _envelope));
        }
    }
}

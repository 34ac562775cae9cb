using System.Diagnostics;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="IContext"/> of one handler call; a shard reuses one, since it runs one call at a time.</summary>
internal sealed class InvocationContext(IInvocationHost host) : IContext
{
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
        Effects.HasReply = true;
        Effects.Reply = reply;
    }
}

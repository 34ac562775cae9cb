namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="IContext"/> of one handler call; a shard reuses one, since it runs one call at a time.</summary>
internal sealed class InvocationContext(IInvocationHost host) : IContext
{
    private Envelope _envelope = null!;

    public Effects Effects { get; private set; } = new();

    public Address Self => _envelope.Target;

    public Address? Caller => _envelope.Caller;

    public DateTimeOffset Now => host.TimeProvider.GetUtcNow();

    /// <summary>Starts a call; <paramref name="fresh"/> gives it new effect buffers instead of clearing the last ones.</summary>
    public void Begin(Envelope envelope, bool fresh = false)
    {
        _envelope = envelope;
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
        Effects.Sends.Add(new Envelope(target, Self, message, reply: null));
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
        Effects.DelayedSends.Add((delay, new Envelope(target, Self, message, reply: null), cancellationToken));
    }

    public void SendAfter<TFunction, TMessage>(TimeSpan delay, Address<TFunction> target, TMessage message, string? cancellationToken = null)
        where TFunction : IHandles<TMessage>
        where TMessage : notnull =>
        SendAfter(delay, target.Untyped, message, cancellationToken);

    public void CancelDelayed(string cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cancellationToken);
        Effects.Cancellations.Add(cancellationToken);
    }

    public void Emit<T>(EgressId<T> egress, T record)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(record);
        host.CheckEgress(egress.Name, typeof(T));
        Effects.Egress.Add((egress.Name, record));
    }

    public void Reply(object reply)
    {
        Effects.HasReply = true;
        Effects.Reply = reply;
    }
}

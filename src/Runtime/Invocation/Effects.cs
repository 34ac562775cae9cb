namespace StatefulFunctions.Runtime;

/// <summary>
/// The effects of one handler call, buffered until it returns: released together on success, dropped on failure.
/// </summary>
internal sealed class Effects
{
    public List<Envelope> Sends { get; } = new();

    /// <summary>
    /// Delayed sends and cancellations in one list, in the order the handler made them: the order decides what a
    /// cancellation cancels ("send t1, then cancel t1" leaves nothing scheduled; "cancel t1, then send t1" one message).
    /// </summary>
    public List<DelayedEffect> Delayed { get; } = new();

    public List<(TypeName Egress, object Record)> Egress { get; } = new();

    /// <summary>With durable storage: the stored form of each <see cref="Egress"/> record, in the same order.</summary>
    public List<StoredForm> StoredEgress { get; } = new();

    /// <summary>With durable storage, for a message sent with an idempotency key: the stored form of <see cref="Reply"/>, when it can be stored.</summary>
    public StoredForm? StoredReply { get; set; }

    public bool HasReply { get; set; }

    public object? Reply { get; set; }

    /// <summary>The call took its reply to answer later (<see cref="IContext.DeferReply{TReply}"/>) or passed it on (<see cref="IContext.Forward(Address, object)"/>).</summary>
    public bool ReplyDeferred { get; set; }

    /// <summary>Replies to client asks this call gives through a route: a deferred one answered, or its own forwarded one.</summary>
    public List<Answer> Answers { get; } = new();

    public void Clear()
    {
        ReplyDeferred = false;
        Answers.Clear();
        Sends.Clear();
        Delayed.Clear();
        Egress.Clear();
        StoredEgress.Clear();
        HasReply = false;
        Reply = null;
        StoredReply = null;
    }
}

/// <summary>A delayed send (<see cref="Envelope"/> set) or the cancellation of the pending one named <see cref="Token"/>.</summary>
internal readonly struct DelayedEffect
{
    private DelayedEffect(TimeSpan delay, Envelope? envelope, string? token)
    {
        Delay = delay;
        Envelope = envelope;
        Token = token;
    }

    public TimeSpan Delay { get; }

    /// <summary>The delayed message; null for a cancellation.</summary>
    public Envelope? Envelope { get; }

    /// <summary>The cancellation token: of the delayed message (null when it cannot be cancelled), or the one to cancel.</summary>
    public string? Token { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Envelope))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Token))]
    public bool IsCancellation => Envelope is null;

    public static DelayedEffect Send(TimeSpan delay, Envelope envelope, string? token) => new(delay, envelope, token);

    public static DelayedEffect Cancel(string token) => new(TimeSpan.Zero, null, token);
}

/// <summary>A reply to a client ask, given through its <see cref="ReplyRoute"/> (a waiting ask, or the dedup record of a keyed one).</summary>
internal sealed class Answer(ReplyRoute route, object? value, bool noReply, Envelope about)
{
    public ReplyRoute Route { get; } = route;

    public object? Value { get; } = value;

    /// <summary>The message was handled without a reply: the ask learns that none comes.</summary>
    public bool NoReply { get; } = noReply;

    /// <summary>The message whose call gave it (for the error of an ask that gets no reply).</summary>
    public Envelope About { get; } = about;

    /// <summary>With durable storage, for a keyed ask: the stored form of <see cref="Value"/>, when it can be stored.</summary>
    public StoredForm? Stored { get; set; }

    /// <summary>For a keyed ask: its dedup record, once this answer is the one it keeps (the first).</summary>
    public IdempotencyEntry? Entry { get; set; }
}

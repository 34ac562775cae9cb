namespace StatefulFunctions.Runtime;

/// <summary>One message on its way to an address.</summary>
/// <remarks>
/// One is made for every message, so it keeps inline only what every message has; what only a delayed, traced or
/// keyed message has lives in <see cref="Details"/>, made when first set (a null set makes nothing).
/// </remarks>
internal sealed class Envelope(Address target, Address? caller, object message, TaskCompletionSource<object?>? reply) : ShardWork
{
    private Details? _details;

    public Address Target { get; } = target;

    public Address? Caller { get; } = caller;

    public object Message { get; } = message;

    /// <summary>Completed by the handler's <see cref="IContext.Reply"/> when an <c>AskAsync</c> waits for it.</summary>
    public TaskCompletionSource<object?>? Reply { get; } = reply;

    /// <summary>The durable message id, assigned when the message is committed (0 with in-memory storage).</summary>
    public long Id { get; set; }

    /// <summary>For a delayed message: when it is due.</summary>
    public DateTimeOffset? Due
    {
        get => _details?.Due;
        set => Set(value, static (details, value) => details.Due = value);
    }

    /// <summary>For a delayed message: the token that can cancel it (scoped to the sender, its <see cref="Caller"/>).</summary>
    public string? Token
    {
        get => _details?.Token;
        set => Set(value, static (details, value) => details.Token = value);
    }

    /// <summary>
    /// With durable storage: the stored form of <see cref="Message"/>, made by the sender (the client call or the
    /// sending handler) so that a message that cannot be stored fails there, never in the group commit.
    /// </summary>
    public StoredForm? Stored { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that sent this message (a handler's span, a client or ingest span, or
    /// the caller's <see cref="System.Diagnostics.Activity.Current"/>); the handler's span continues its trace.
    /// Null when nothing was traced. Stored with the message in durable mode.
    /// </summary>
    public string? TraceParent
    {
        get => _details?.TraceParent;
        set => Set(value, static (details, value) => details.TraceParent = value);
    }

    /// <summary>
    /// For a message from the client or an ingress sent with an idempotency key: its dedup record, which gets the
    /// outcome (the reply) once the message is handled. Stored with the message (key and expiry) in durable mode.
    /// </summary>
    public IdempotencyEntry? Idempotency
    {
        get => _details?.Idempotency;
        set => Set(value, static (details, value) => details.Idempotency = value);
    }

    /// <summary>
    /// Where this message's reply goes when that was passed along with it: forwarded with the reply its sender owed, or
    /// asked by a function. Stored with the message in durable mode.
    /// </summary>
    public ReplyRoute? ReplyTo
    {
        get => _details?.ReplyTo;
        set => Set(value, static (details, value) => details.ReplyTo = value);
    }

    /// <summary>
    /// For the answer to a function's ask (or its timeout): the token of the ask's timeout, which the answer must still
    /// find pending at the asker to be delivered. Stored with the message in durable mode.
    /// </summary>
    public string? AnswersAsk
    {
        get => _details?.AnswersAsk;
        set => Set(value, static (details, value) => details.AnswersAsk = value);
    }

    /// <summary>Sets a detail: the details are made for a value, never for a null set on an envelope without any.</summary>
    private void Set<T>(T value, Action<Details, T> assign)
    {
        if (value is not null || _details is not null)
        {
            assign(_details ??= new(), value);
        }
    }

    /// <summary>What only some messages have.</summary>
    private sealed class Details
    {
        public DateTimeOffset? Due;
        public string? Token;
        public string? TraceParent;
        public IdempotencyEntry? Idempotency;
        public ReplyRoute? ReplyTo;
        public string? AnswersAsk;
    }
}

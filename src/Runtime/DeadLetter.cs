namespace StatefulFunctions;

/// <summary>A message whose handler failed on every attempt, kept for inspection and re-driving.</summary>
/// <param name="Target">The address the message was for.</param>
/// <param name="Caller">The sender, or null for an ingress or client message.</param>
/// <param name="Message">The message.</param>
/// <param name="Exception">The text of the last exception.</param>
/// <param name="Attempts">How many times the handler ran.</param>
/// <param name="FailedAt">When the message was dead-lettered.</param>
public sealed record DeadLetter(Address Target, Address? Caller, object Message, string Exception, int Attempts, DateTimeOffset FailedAt)
{
    /// <summary>The id to re-drive it by (<see cref="IStatefulFunctionsClient.RedriveDeadLetterAsync"/>).</summary>
    public long Id { get; init; }

    /// <summary>The idempotency key the message was sent with from outside, or null.</summary>
    public string? IdempotencyKey => Idempotency?.Key;

    /// <summary>The dedup record of a message sent with an idempotency key: a re-driven message keeps it.</summary>
    internal Runtime.IdempotencyEntry? Idempotency { get; init; }

    /// <summary>Where the message's reply goes when that was passed along with it (see <see cref="Runtime.Envelope.ReplyTo"/>).</summary>
    internal Runtime.ReplyRoute? ReplyTo { get; init; }

    /// <summary>For the answer to a function's ask: the token of the ask's timeout (see <see cref="Runtime.Envelope.AnswersAsk"/>).</summary>
    internal string? AnswersAsk { get; init; }
}

using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>A message that failed on every attempt: it leaves the pending messages for the dead letters in one record.</summary>
internal sealed class DeadLetterUnit(Envelope message, Exception exception, int attempts, DateTimeOffset failedAt) : CommitUnit
{
    /// <summary>The keyed ask the message's route leads to, when this dead letter is its first outcome.</summary>
    private IdempotencyEntry? _answered;

    /// <summary>The dead letter as the answer to the function that asked, committed with it.</summary>
    private Envelope? _answer;

    public override void AddTo(CommitRecord record, GroupCommitter committer)
    {
        record.Consumed.Add(message.Id);
        committer.Forget(message);
        record.DeadLetters.Add(new LoggedDeadLetter(committer.Codec.Encode(message), exception.ToString(), attempts, failedAt.ToUnixTimeMilliseconds(), failedAt.UtcTicks));

        // Durable storage: a dead letter's id is its message's id.
        var text = StatefulFunctionsRuntime.DeadLetterText(message, attempts, message.Id, exception);
        if (message.Idempotency is { } entry)
        {
            committer.AddReply(record, entry, ReplyOutcome.DeadLettered, storedReply: null, text);
        }

        switch (message.ReplyTo)
        {
            case { Kind: ReplyRouteKind.Keyed } route when committer.Claim(route) is { } answered:
                _answered = answered;
                committer.AddReply(record, answered, ReplyOutcome.DeadLettered, storedReply: null, text);
                break;
            case { Kind: ReplyRouteKind.Asker } route:
                _answer = committer.Answer(route, message.Target, text);
                if (_answer is not null)
                {
                    record.Added.Add(committer.Assign(_answer));
                }

                break;
        }
    }

    public override void Release(IEffectSink sink)
    {
        // The dead letter is listed before any ask learns of it: an asker woken by the outcome finds it there.
        sink.AddDeadLetter(message, exception.ToString(), attempts, failedAt, exception);
        var text = StatefulFunctionsRuntime.DeadLetterText(message, attempts, message.Id, exception);
        _answered?.SetOutcome(ReplyOutcome.DeadLettered, detail: text);
        if (_answer is not null)
        {
            sink.Enqueue(_answer);
        }
    }

    public override void Fail(Exception refusal) => message.Reply?.TrySetException(refusal);
}

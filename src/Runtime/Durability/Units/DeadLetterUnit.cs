using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>A message that failed on every attempt: it leaves the pending messages for the dead letters in one record.</summary>
internal sealed class DeadLetterUnit(Envelope message, Exception exception, int attempts, DateTimeOffset failedAt) : CommitUnit
{
    public override void AddTo(CommitRecord record, GroupCommitter committer)
    {
        record.Consumed.Add(message.Id);
        committer.Forget(message);
        record.DeadLetters.Add(new LoggedDeadLetter(committer.Codec.Encode(message), exception.ToString(), attempts, failedAt.ToUnixTimeMilliseconds(), failedAt.UtcTicks));
        if (message.Idempotency is { } entry)
        {
            // Durable storage: a dead letter's id is its message's id.
            committer.AddReply(record, entry, ReplyOutcome.DeadLettered, storedReply: null, StatefulFunctionsRuntime.DeadLetterText(message, attempts, message.Id));
        }
    }

    public override void Release(IEffectSink sink) => sink.AddDeadLetter(message, exception.ToString(), attempts, failedAt, exception);

    public override void Fail(Exception refusal) => message.Reply?.TrySetException(refusal);
}

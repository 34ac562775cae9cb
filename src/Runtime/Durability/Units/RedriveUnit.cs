using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>A dead letter sent again: it leaves the dead letters and its message becomes pending, in one record.</summary>
internal sealed class RedriveUnit(long deadLetterId, Envelope message) : CommitUnit
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public override void AddTo(CommitRecord record, GroupCommitter committer)
    {
        record.DeadLettersRemoved.Add(deadLetterId);
        record.Added.Add(committer.Assign(message));
        if (message.Idempotency is { } entry)
        {
            // Handled again: a retried ask now waits for the new outcome.
            committer.AddReply(record, entry, ReplyOutcome.Pending, storedReply: null, detail: null);
        }
    }

    public override void Release(IEffectSink sink)
    {
        message.Idempotency?.SetOutcome(ReplyOutcome.Pending);
        sink.Enqueue(message);
        _done.TrySetResult();
    }

    public override void Fail(Exception refusal) => _done.TrySetException(refusal);
}

using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>
/// A message from the client or an ingress: acknowledged once it is durable, then delivered. A message sent with an
/// idempotency key carries its dedup record into the same log record, so neither is ever durable without the other.
/// </summary>
internal sealed class AcceptUnit(Envelope message) : CommitUnit
{
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Accepted => _accepted.Task;

    public override void AddTo(CommitRecord record, GroupCommitter committer)
    {
        record.Added.Add(committer.Assign(message));
        if (message.Idempotency is { } entry)
        {
            (record.IdempotencyKeys ??= new()).Add(new LoggedIdempotencyKey(
                committer.Codec.TypeNameText(entry.Target.Type),
                entry.Target.Id,
                entry.Key,
                entry.Hash,
                entry.MessageType,
                entry.ExpiresAtUnixMs));
        }
    }

    public override void Release(IEffectSink sink)
    {
        sink.Enqueue(message);
        sink.Ingested(message);
        _accepted.TrySetResult();
        message.Idempotency?.MarkAccepted();
    }

    public override void Fail(Exception refusal)
    {
        _accepted.TrySetException(refusal);
        message.Reply?.TrySetException(refusal);
    }
}

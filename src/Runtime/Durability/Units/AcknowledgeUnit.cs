using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>A consumer is done with some egress records: they leave the outbox for good.</summary>
internal sealed class AcknowledgeUnit(IReadOnlyList<long> recordIds) : CommitUnit
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public override void AddTo(CommitRecord record, GroupCommitter committer) => record.EgressAcknowledged.AddRange(recordIds);

    public override void Release(IEffectSink sink) => _done.TrySetResult();

    public override void Fail(Exception refusal) => _done.TrySetException(refusal);
}

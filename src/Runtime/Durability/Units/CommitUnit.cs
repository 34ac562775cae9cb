using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>
/// A piece of work waiting for the group commit: it adds what it changed to the batch's record, and releases its
/// effects once that record is durable.
/// </summary>
internal abstract class CommitUnit
{
    private volatile bool _committed;

    /// <summary>True once the record holding this unit is durable.</summary>
    public bool Committed => _committed;

    public abstract void AddTo(CommitRecord record, GroupCommitter committer);

    public abstract void Release(IEffectSink sink);

    /// <summary>The unit will never be committed (the durable storage failed): whoever waits for it gets <paramref name="refusal"/>.</summary>
    public abstract void Fail(Exception refusal);

    public void MarkCommitted() => _committed = true;
}

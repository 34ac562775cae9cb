using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The commit pipeline of durable runtimes: LiteDB checkpoints with a commit log beside them (<c>&lt;path&gt;.log</c>).
/// At start it recovers the last checkpoint plus the log after it; from then on the <see cref="GroupCommitter"/> writes
/// every unit to the log and releases it once it is on disk. Cold state is read through the <see cref="DurableState"/>,
/// which knows what the log changed since the last checkpoint.
/// </summary>
internal sealed partial class DurableCommit(LiteDbStateStore checkpoints, StatefulFunctionsRuntime runtime) : ICommitPipeline
{
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GroupCommitter? _committer;
    private CommitLog? _log;

    public DurableState State { get; } = new(checkpoints);

    public IStateStore ColdState => State;

    public Exception? Failure => _committer?.Failure;

    public Exception? Refusal => Failure is { } failure ? GroupCommitter.Refusal(failure) : null;

    public bool ReleasesLater => true;

    private GroupCommitter Committer => _committer ?? throw new InvalidOperationException("The stateful functions runtime is not started.");

    /// <summary>
    /// Recovers: the last checkpoint, then every record of the commit log after it, each applied to the durable state
    /// as the live commit applied it; then starts the group commit and delivers every pending message again.
    /// </summary>
    public void Start()
    {
        var now = runtime.TimeProvider.GetUtcNow();
        _log = CommitLog.Open(checkpoints.Path + ".log", new CommitLogOptions { SegmentBytes = runtime.Options.CommitLogSegmentBytes });
        State.Load(checkpoints.ReadCheckpoint(now.ToUnixTimeMilliseconds()));
        foreach (var entry in _log.ReadFrom(State.Lsn + 1))
        {
            State.Apply(CommitRecord.Read(entry.Payload.Span, entry.Lsn, checkpoints.Path + ".log"), entry.Lsn);
        }

        var recovered = State.Recovered(now.ToUnixTimeMilliseconds());
        var redelivery = Restore(recovered);

        // Only now, with every recovered message and dead letter linked to its record: past the limit, settled records
        // leave memory for the checkpoint store.
        runtime.Idempotency.SpillTo(runtime.Options.IdempotencyKeysInMemory, ReadStoredIdempotencyKey);
        runtime.Idempotency.Checkpointed(recovered.CheckpointLsn);
        _committer = new GroupCommitter(runtime, _log, State, runtime.Codec, this);
        _committer.Start(recovered.LastMessageId, recovered.LastEgressId, recovered.Lsn, redelivery.Messages.Where(m => m.Due is not null));
        Redeliver(redelivery, now);
        LogRecovered(runtime.Logger, recovered.Lsn - recovered.CheckpointLsn, redelivery.Messages.Count, checkpoints.Path);
    }

    public ValueTask AcceptAsync(Envelope message, CancellationToken cancellationToken)
    {
        // Accepted once the record holding the message is on disk. A message that cannot be stored is refused here, to
        // the caller.
        message.Stored = runtime.Codec.Serialize(message.Message);
        var accept = new AcceptUnit(message);
        Committer.Submit(accept);
        return new ValueTask(accept.Accepted.WaitAsync(cancellationToken));
    }

    public void Prepare(Activation activation, Dictionary<string, byte[]>? changedState, Effects effects, bool keepReply)
    {
        CheckStorable(activation, changedState);
        runtime.Codec.Prepare(effects, keepReply);
    }

    public void Handled(Envelope message, Activation activation, Dictionary<string, byte[]>? changedState, Effects effects)
    {
        // Submitted before the warm state changes: a commit that is refused (the storage failed) leaves it as it was.
        var unit = new HandledUnit(message, changedState, effects);
        Committer.Submit(unit);
        activation.Commit(changedState);
        activation.LastUnit = unit;
    }

    public void Submit(CommitUnit unit) => Committer.Submit(unit);

    public Task<T> UnlessFailsAsync<T>(Task<T> waiting) => waiting.IsCompleted ? waiting : FirstOfAsync(waiting);

    public Task UnlessFailsAsync(Task waiting) => waiting.IsCompleted ? waiting : FirstOfAsync(waiting);

    public void Stop(TimeSpan timeout)
    {
        _committer?.Stop(timeout);
        _log?.Dispose();
    }

    private IdempotencyEntry? ReadStoredIdempotencyKey(Address target, string key, long nowUnixMs) =>
        checkpoints.FindIdempotencyKey(target.Type.ToString(), target.Id, key, nowUnixMs) is { } stored ? IdempotencyEntry.FromStored(stored, target) : null;

    /// <summary>The group commit failed: waiting asks are told at once.</summary>
    public void Failed(Exception refusal) => _failed.TrySetException(refusal);

    private async Task<T> FirstOfAsync<T>(Task<T> waiting)
    {
        await FirstOfAsync((Task)waiting).ConfigureAwait(false);
        return await waiting.ConfigureAwait(false);
    }

    private async Task FirstOfAsync(Task waiting)
    {
        var first = await Task.WhenAny(waiting, _failed.Task).ConfigureAwait(false);
        await first.ConfigureAwait(false);
    }

    /// <summary>
    /// Fails the handler when the state it leaves is larger than the checkpoint store holds for one instance: refused
    /// here, before it is logged, the message is retried and dead-lettered with the reason, and the state stays as it was.
    /// </summary>
    private static void CheckStorable(Activation activation, Dictionary<string, byte[]>? changed)
    {
        if (changed is null)
        {
            return;
        }

        long grown = 0;
        foreach (var (_, bytes) in changed)
        {
            grown += bytes.Length;
        }

        if (activation.Size + grown <= LiteDbStateStore.MaxStateBytes)
        {
            return; // the common case: an upper bound is enough
        }

        long size = 0;
        foreach (var (name, bytes) in activation.Committed)
        {
            size += changed.ContainsKey(name) ? 0 : bytes.Length;
        }

        foreach (var (_, bytes) in changed)
        {
            size += bytes.Length;
        }

        if (size > LiteDbStateStore.MaxStateBytes)
        {
            throw new InvalidOperationException(
                $"The state of {activation.Address} would be {size:N0} bytes after this message; the checkpoint store holds at most {LiteDbStateStore.MaxStateBytes:N0} bytes per instance. Keep large values elsewhere, or split the state over several instances.");
        }
    }
}

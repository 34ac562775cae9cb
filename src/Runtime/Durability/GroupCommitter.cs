using System.Diagnostics;
using System.Threading.Channels;
using MemoryPack;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The one place where work becomes durable. On its own thread it drains every unit the shards, the client and the
/// ingresses queued, writes them as one <see cref="CommitRecord"/> to the commit log, flushes it (the durable point),
/// and only then releases their effects. It also assigns message and egress ids (in commit order) and starts
/// background checkpoints into LiteDB, after which the log before them is deleted.
/// </summary>
internal sealed partial class GroupCommitter
{
    private const int MaxUnitsPerRecord = 20_000;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(5);
    private const long CheckpointLogBytes = 64L * 1024 * 1024;

    private readonly StatefulFunctionsRuntime _runtime;
    private readonly CommitLog _log;
    private readonly DurableState _state;
    private readonly DurableCommit _pipeline;
    private readonly Channel<CommitUnit> _units = Channel.CreateUnbounded<CommitUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(Address Owner, string Token), long> _tokens = new();
    private readonly List<CommitUnit> _batch = new();

    /// <summary>The dedup records the batch being committed gives a final outcome.</summary>
    private readonly List<IdempotencyEntry> _settled = new();
    private readonly Stopwatch _sinceCheckpoint = Stopwatch.StartNew();
    private Thread? _thread;
    private long _nextMessageId;
    private long _nextEgressId;
    private long _lastLsn;
    private long _logBytesSinceCheckpoint;
    private (Task Task, CheckpointWork Work)? _checkpoint;
    private volatile Exception? _failure;

    public GroupCommitter(StatefulFunctionsRuntime runtime, CommitLog log, DurableState view, MessageCodec codec, DurableCommit pipeline)
    {
        _pipeline = pipeline;
        _runtime = runtime;
        _log = log;
        _state = view;
        Codec = codec;
    }

    public MessageCodec Codec { get; }

    /// <summary>The time delayed messages are due from; the commit thread's clock reading of the current batch.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Starts the commit thread after recovery told it where ids continue and which timer tokens are pending.</summary>
    public void Start(long nextMessageId, long nextEgressId, long lastLsn, IEnumerable<Envelope> pendingTimers)
    {
        _nextMessageId = nextMessageId;
        _nextEgressId = nextEgressId;
        _lastLsn = lastLsn;
        foreach (var timer in pendingTimers)
        {
            if (timer.Token is not null && timer.Caller is { } owner)
            {
                _tokens[(owner, timer.Token)] = timer.Id;
            }
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "StatefulFunctions group commit" };
        _thread.Start();
    }

    /// <summary>What failed (the commit log or the checkpoint store), or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Test seam: called before each append to the commit log and before each checkpoint is written.</summary>
    private StorageFaults? Faults => _runtime.Faults;

    public void Submit(CommitUnit unit)
    {
        if (_failure is { } failure)
        {
            throw Refusal(failure);
        }

        _runtime.WorkStarted();
        if (!_units.Writer.TryWrite(unit))
        {
            _runtime.WorkDone();
            throw _failure is { } failed ? Refusal(failed) : new InvalidOperationException("The stateful functions runtime is stopped.");
        }
    }

    /// <summary>The exception every refusal after a storage failure carries: it names the original failure, its inner exception.</summary>
    public static InvalidOperationException Refusal(Exception failure) => new(
        $"The runtime's durable storage failed ({failure.GetType().Name}: {failure.Message}), so it accepts no more work. "
        + "Nothing acknowledged is lost: restart the application and it recovers from the commit log.",
        failure);

    /// <summary>
    /// Stops after committing what was queued, and writes a final checkpoint so the next start replays little. Waits
    /// for the commit thread at most <paramref name="timeout"/>; never throws (a failure here is logged and leaves
    /// the log to recover from).
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        _units.Writer.TryComplete();
        if (_thread is not null && !_thread.Join(timeout))
        {
            LogStopAbandoned(_runtime.Logger, timeout);
            return;
        }

        if (_failure is not null)
        {
            return;
        }

        try
        {
            FinishCheckpoint(wait: true);
            if (_logBytesSinceCheckpoint > 0)
            {
                var work = BeginCheckpoint();
                WriteCheckpoint(work);
                _state.EndCheckpoint();
                _log.TruncateBefore(work.Lsn + 1);
                _runtime.Idempotency.Checkpointed(work.Lsn);
            }
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    /// <summary>Gives a new message its id (commit order) and its stored form.</summary>
    public LoggedMessage Assign(Envelope message)
    {
        message.Id = ++_nextMessageId;
        if (message.Token is not null && message.Caller is { } owner)
        {
            _tokens[(owner, message.Token)] = message.Id;
        }

        return Codec.Encode(message);
    }

    /// <summary>
    /// Logs the outcome of a message sent with an idempotency key. A final one marks the record stored from this
    /// record on (it may leave memory once a checkpoint covers that); a re-drive brings the record back to memory.
    /// </summary>
    public void AddReply(CommitRecord record, IdempotencyEntry entry, ReplyOutcome outcome, StoredForm? storedReply, string? detail)
    {
        if (outcome == ReplyOutcome.Pending)
        {
            entry.MarkStoredFrom(0);
            _runtime.Idempotency.Load(entry);
        }
        else
        {
            _settled.Add(entry);
        }

        (record.Replies ??= new()).Add(new LoggedReply(
            Codec.TypeNameText(entry.Target.Type),
            entry.Target.Id,
            entry.Key,
            entry.ExpiresAtUnixMs,
            (byte)outcome,
            storedReply?.Name,
            storedReply?.Bytes,
            detail));
    }

    /// <summary>The dedup record a keyed route answers, when this (in commit order) is its first answer.</summary>
    public IdempotencyEntry? Claim(ReplyRoute route) => _runtime.ClaimKeyed(route);

    /// <summary>
    /// A dead letter as the answer to the function that asked; null when the asker no longer handles its answer type
    /// (then it gets the ask's timeout): the commit must not fail for it.
    /// </summary>
    public Envelope? Answer(ReplyRoute route, Address from, string failure) =>
        _runtime.TryAnswerTo(route, from, ReplyStatus.DeadLettered, value: null, failure);

    public LoggedEgress AssignEgress(TypeName egress, StoredForm stored) =>
        new(++_nextEgressId, egress.ToString(), stored.Name, stored.Bytes);

    /// <summary>Removes and returns the id of the pending delayed message <paramref name="owner"/> named <paramref name="token"/>.</summary>
    public long? TakeToken(Address owner, string token) => _tokens.Remove((owner, token), out var id) ? id : null;

    /// <summary>A message is consumed: its token (if any) no longer names it.</summary>
    public void Forget(Envelope message)
    {
        if (message.Token is not null && message.Caller is { } owner
            && _tokens.TryGetValue((owner, message.Token), out var id) && id == message.Id)
        {
            _tokens.Remove((owner, message.Token));
        }
    }

    private void Run()
    {
        var reader = _units.Reader;
        try
        {
            while (WaitForUnits(reader))
            {
                while (_batch.Count < MaxUnitsPerRecord && reader.TryRead(out var unit))
                {
                    _batch.Add(unit);
                }

                CommitBatch(); // empties the batch once its units are released
                FinishCheckpoint(wait: false);
                if (_checkpoint is null && (_logBytesSinceCheckpoint >= CheckpointLogBytes || (_logBytesSinceCheckpoint > 0 && _sinceCheckpoint.Elapsed >= (Faults?.CheckpointInterval ?? CheckpointInterval))))
                {
                    var work = BeginCheckpoint();
                    _checkpoint = (Task.Run(() => WriteCheckpoint(work)), work);
                }
            }
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    /// <summary>
    /// Waits for units to commit (false: no more will come). A checkpoint being written that completes meanwhile is
    /// finished then (log truncated, dedup records released), not at the next commit.
    /// </summary>
    private bool WaitForUnits(ChannelReader<CommitUnit> reader)
    {
        var waiting = reader.WaitToReadAsync().AsTask();
        if (!waiting.IsCompleted && _checkpoint is { } checkpoint)
        {
            Task.WaitAny(waiting, checkpoint.Task);
            if (!waiting.IsCompleted)
            {
                FinishCheckpoint(wait: true);
            }
        }

        return waiting.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The commit log or the checkpoint store failed: stop taking work (what is pending is safe in the log), and fail
    /// every unit not committed, exactly once each: the batch being written (nothing of it was released) and what was
    /// queued behind it. Their senders get the failure, and the work count drops so that stopping does not wait for them.
    /// </summary>
    private void Fail(Exception exception)
    {
        _failure = exception;
        LogCommitFailed(_runtime.Logger, exception);
        _units.Writer.TryComplete(exception);
        while (_units.Reader.TryRead(out var queued))
        {
            _batch.Add(queued);
        }

        var refusal = Refusal(exception);
        foreach (var unit in _batch)
        {
            unit.Fail(refusal);
            _runtime.WorkDone();
        }

        _batch.Clear();
        _pipeline.Failed(refusal);
        _runtime.StorageFailed(refusal);
    }

    /// <summary>
    /// Writes a checkpoint; when LiteDB fails inside it, reopens the file and writes it once more (every write of a
    /// checkpoint sets a value, so writing it twice is harmless). Only a second failure is a storage failure: one
    /// accident inside LiteDB does not end the runtime. Until a checkpoint succeeds, the log before it is kept.
    /// </summary>
    private void WriteCheckpoint(CheckpointWork work)
    {
        IReadOnlyList<QuarantinedRecord> quarantined;
        try
        {
            Faults?.BeforeCheckpoint?.Invoke();
            quarantined = _state.Checkpoints.WriteCheckpoint(work);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogCheckpointRetried(_runtime.Logger, exception, _state.Checkpoints.Path);
            _state.Checkpoints.Reopen();
            Faults?.BeforeCheckpoint?.Invoke();
            quarantined = _state.Checkpoints.WriteCheckpoint(work);
        }

        foreach (var record in quarantined)
        {
            LogQuarantined(_runtime.Logger, record.What, record.Reason, record.File);
        }
    }

    private void CommitBatch()
    {
        Now = _runtime.TimeProvider.GetUtcNow();
        _settled.Clear();
        var record = new CommitRecord();
        foreach (var unit in _batch)
        {
            unit.AddTo(record, this);
        }

        var bytes = MemoryPackSerializer.Serialize(record);
        var started = RuntimeMetrics.CommitStarting();
        Faults?.BeforeAppend?.Invoke();
        _lastLsn = _log.Append(bytes);
        _log.Flush();
        RuntimeMetrics.Committed(_batch.Count, started);
        _logBytesSinceCheckpoint += bytes.Length;
        _state.Apply(record, _lastLsn);
        foreach (var entry in _settled)
        {
            entry.MarkStoredFrom(_lastLsn);
        }

        _settled.Clear();

        // Durable from here: every unit is released and counted done exactly once, whatever one release throws (a
        // release during stop may find a shard closed; what it would deliver is in the log for the next start).
        var released = _batch.Count;
        foreach (var unit in _batch)
        {
            unit.MarkCommitted();
            try
            {
                unit.Release(_runtime);
                Faults?.AfterRelease?.Invoke();
            }
            catch (Exception exception)
            {
                LogReleaseFailed(_runtime.Logger, exception, unit.GetType().Name);
            }
        }

        _batch.Clear();

        // The swap-outs that waited for this commit are queued before the units count as done, so whoever waits for
        // idleness and then asks a shard something finds them ahead of the question.
        _runtime.CommitReleased();
        _runtime.WorkDone(released);
        _runtime.OfferRoom();
    }

    private CheckpointWork BeginCheckpoint()
    {
        _logBytesSinceCheckpoint = 0;
        _sinceCheckpoint.Restart();
        return _state.BeginCheckpoint(_lastLsn, _nextMessageId, _nextEgressId, _runtime.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private void FinishCheckpoint(bool wait)
    {
        if (_checkpoint is not { } checkpoint || (!wait && !checkpoint.Task.IsCompleted))
        {
            return;
        }

        checkpoint.Task.GetAwaiter().GetResult(); // a failed checkpoint is a storage failure: surface it
        _state.EndCheckpoint();
        _log.TruncateBefore(checkpoint.Work.Lsn + 1);
        _checkpoint = null;
        _runtime.Idempotency.Checkpointed(checkpoint.Work.Lsn);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "The durable storage failed (commit log or checkpoint); no further work is accepted and nothing uncommitted was released. Restart to recover from the commit log")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Releasing the effects of a committed {Unit} failed; they are in the commit log and are recovered on the next start")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string unit);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Writing a checkpoint to {Path} failed; the file was reopened and the checkpoint is written again")]
    private static partial void LogCheckpointRetried(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "A checkpoint could not store {What}: LiteDB refused it ({Reason}). It was set aside in {File}; everything else was stored, and the runtime goes on")]
    private static partial void LogQuarantined(ILogger logger, string what, string reason, string file);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The group commit did not stop within {Timeout}; stopping without a final checkpoint (the next start recovers from the commit log)")]
    private static partial void LogStopAbandoned(ILogger logger, TimeSpan timeout);
}

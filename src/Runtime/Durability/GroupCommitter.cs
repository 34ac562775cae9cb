using System.Diagnostics;
using System.Threading.Channels;
using MemoryPack;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage.Log;

namespace StatefulFunctions.Durability;

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
    private readonly DurableView _view;
    private readonly Channel<CommitUnit> _units = Channel.CreateUnbounded<CommitUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(Address Owner, string Token), long> _tokens = new();
    private readonly List<CommitUnit> _batch = new();
    private readonly Stopwatch _sinceCheckpoint = Stopwatch.StartNew();
    private Thread? _thread;
    private long _nextMessageId;
    private long _nextEgressId;
    private long _lastLsn;
    private long _logBytesSinceCheckpoint;
    private (Task Task, CheckpointWork Work)? _checkpoint;
    private volatile Exception? _failure;

    public GroupCommitter(StatefulFunctionsRuntime runtime, CommitLog log, DurableView view, MessageCodec codec)
    {
        _runtime = runtime;
        _log = log;
        _view = view;
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

    /// <summary>True once a group commit failed: nothing more is accepted.</summary>
    public bool HasFailed => _failure is not null;

    public void Submit(CommitUnit unit)
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("The commit log failed; the runtime cannot accept work.", _failure);
        }

        _runtime.WorkStarted();
        if (!_units.Writer.TryWrite(unit))
        {
            _runtime.WorkDone();
            throw new InvalidOperationException("The stateful functions runtime is stopped.");
        }
    }

    /// <summary>Stops after committing what was queued, and writes a final checkpoint so the next start replays little.</summary>
    public void Stop()
    {
        _units.Writer.TryComplete();
        _thread?.Join();
        if (_failure is null)
        {
            FinishCheckpoint(wait: true);
            if (_logBytesSinceCheckpoint > 0)
            {
                var work = BeginCheckpoint();
                _view.Checkpoints.WriteCheckpoint(work);
                _view.EndCheckpoint();
                _log.TruncateBefore(work.Lsn + 1);
            }
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

    /// <summary>Logs the outcome of a message sent with an idempotency key.</summary>
    public void AddReply(CommitRecord record, IdempotencyEntry entry, ReplyOutcome outcome, StoredForm? storedReply, string? detail) =>
        (record.Replies ??= new()).Add(new LoggedReply(
            Codec.TypeNameText(entry.Target.Type),
            entry.Target.Id,
            entry.Key,
            entry.ExpiresAtUnixMs,
            (byte)outcome,
            storedReply?.Name,
            storedReply?.Bytes,
            detail));

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
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                _batch.Clear();
                while (_batch.Count < MaxUnitsPerRecord && reader.TryRead(out var unit))
                {
                    _batch.Add(unit);
                }

                CommitBatch();
                FinishCheckpoint(wait: false);
                if (_checkpoint is null && (_logBytesSinceCheckpoint >= CheckpointLogBytes || (_logBytesSinceCheckpoint > 0 && _sinceCheckpoint.Elapsed >= CheckpointInterval)))
                {
                    var work = BeginCheckpoint();
                    _checkpoint = (Task.Run(() => _view.Checkpoints.WriteCheckpoint(work)), work);
                }
            }
        }
        catch (Exception exception)
        {
            // Nothing of the failed batch was released. Stop taking work: what is pending is safe in the log.
            _failure = exception;
            LogCommitFailed(_runtime.Logger, exception);
            _units.Writer.TryComplete(exception);
            while (reader.TryRead(out var queued))
            {
                _batch.Add(queued);
            }

            // None of these will ever be committed: senders waiting for acceptance get the failure, and the work
            // count drops so that stopping the runtime does not wait for them.
            foreach (var unit in _batch)
            {
                (unit as AcceptUnit)?.Fail(exception);
                _runtime.WorkDone();
            }
        }
    }

    private void CommitBatch()
    {
        Now = _runtime.TimeProvider.GetUtcNow();
        var record = new CommitRecord();
        foreach (var unit in _batch)
        {
            unit.AddTo(record, this);
        }

        var bytes = MemoryPackSerializer.Serialize(record);
        var started = RuntimeMetrics.CommitStarting();
        _lastLsn = _log.Append(bytes);
        _log.Flush();
        RuntimeMetrics.Committed(_batch.Count, started);
        _logBytesSinceCheckpoint += bytes.Length;
        _view.Apply(record);

        foreach (var unit in _batch)
        {
            unit.MarkCommitted();
            unit.Release(_runtime);
            _runtime.WorkDone();
        }

        _runtime.CommitReleased();
    }

    private CheckpointWork BeginCheckpoint()
    {
        _logBytesSinceCheckpoint = 0;
        _sinceCheckpoint.Restart();
        return _view.BeginCheckpoint(_lastLsn, _nextMessageId, _nextEgressId, _runtime.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private void FinishCheckpoint(bool wait)
    {
        if (_checkpoint is not { } checkpoint || (!wait && !checkpoint.Task.IsCompleted))
        {
            return;
        }

        checkpoint.Task.GetAwaiter().GetResult(); // a failed checkpoint is a storage failure: surface it
        _view.EndCheckpoint();
        _log.TruncateBefore(checkpoint.Work.Lsn + 1);
        _checkpoint = null;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "The group commit failed; no further work is accepted and nothing uncommitted was released")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);
}

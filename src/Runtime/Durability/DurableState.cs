using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The durable state of the runtime besides function state: the durable inbox (pending messages, delayed ones
/// included), the egress outbox, the dead letters and the dedup records of idempotency keys, plus the state members
/// the log changed since the last checkpoint (consulted before LiteDB when a cold instance is loaded). It holds what
/// changed since the last checkpoint, over the checkpoint it was loaded from.
/// </summary>
/// <remarks>
/// <see cref="Apply"/> is the one interpretation of a <see cref="CommitRecord"/>: the group commit applies each record
/// it writes, and recovery applies each record of the log after the checkpoint. Written by the group committer (or
/// recovery, before it starts) only; read by shards loading cold state.
/// </remarks>
internal sealed class DurableState(LiteDbStateStore checkpoints) : IStateStore
{
    private readonly object _gate = new();
    private readonly ChangeSet<LoggedMessage> _inbox = new();
    private readonly ChangeSet<LoggedEgress> _outbox = new();
    private readonly ChangeSet<LoggedDeadLetter> _deadLetters = new();
    private readonly TypeNameCache _typeNames = new();
    private Dictionary<IdempotencyRecordKey, LoggedIdempotencyKey> _idempotencyKeys = new();
    private Dictionary<IdempotencyRecordKey, LoggedReply> _replies = new();
    private Dictionary<Address, Dictionary<string, byte[]>> _states = new();
    private Dictionary<Address, Dictionary<string, byte[]>>? _checkpointing;
    private StoredCheckpoint? _loaded;
    private long _lastMessageId;
    private long _lastEgressId;

    public LiteDbStateStore Checkpoints => checkpoints;

    /// <summary>The last log record applied (the checkpoint's, until a record is applied).</summary>
    public long Lsn { get; private set; }

    /// <summary>Starts from what the last checkpoint holds (recovery, before the log after it is applied).</summary>
    public void Load(StoredCheckpoint checkpoint)
    {
        _loaded = checkpoint;
        Lsn = checkpoint.Lsn;
        _lastMessageId = checkpoint.NextMessageId;
        _lastEgressId = checkpoint.NextEgressId;
    }

    /// <summary>Takes in one durable log record: what the live commit wrote, or what recovery reads back.</summary>
    public void Apply(CommitRecord record, long lsn)
    {
        Lsn = lsn;
        lock (_gate)
        {
            foreach (var state in record.States)
            {
                var address = new Address(_typeNames.Parse(state.Type), state.Id);
                if (!_states.TryGetValue(address, out var members))
                {
                    members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    _states.Add(address, members);
                }

                foreach (var (name, bytes) in state.Members)
                {
                    members[name] = bytes;
                }
            }
        }

        // The change sets are touched by the committer thread only.
        foreach (var message in record.Added)
        {
            _inbox.Add(message.Id, message);
            _lastMessageId = Math.Max(_lastMessageId, message.Id);
        }

        foreach (var id in record.Consumed)
        {
            _inbox.Remove(id);
        }

        foreach (var egress in record.Egress)
        {
            _outbox.Add(egress.Id, egress);
            _lastEgressId = Math.Max(_lastEgressId, egress.Id);
        }

        foreach (var id in record.EgressAcknowledged)
        {
            _outbox.Remove(id);
        }

        foreach (var deadLetter in record.DeadLetters)
        {
            _deadLetters.Add(deadLetter.Message.Id, deadLetter);
        }

        foreach (var id in record.DeadLettersRemoved)
        {
            _deadLetters.Remove(id);
        }

        foreach (var key in record.IdempotencyKeys ?? [])
        {
            _idempotencyKeys[key.RecordKey] = key;
            _replies.Remove(key.RecordKey); // about an earlier use of the key
        }

        foreach (var reply in record.Replies ?? [])
        {
            // An outcome of a record of this interval goes into it; one of an earlier checkpoint's record is merged there.
            if (_idempotencyKeys.TryGetValue(reply.RecordKey, out var key) && key.ExpiresUnixMs == reply.ExpiresUnixMs)
            {
                _idempotencyKeys[reply.RecordKey] = key.With(reply);
            }
            else
            {
                _replies[reply.RecordKey] = reply;
            }
        }
    }

    /// <summary>
    /// What recovery found: the checkpoint it was loaded from with every record applied since, as one whole (the
    /// changes since the checkpoint stay, for the next one to write). Dedup records expired by <paramref name="nowUnixMs"/>
    /// are left out.
    /// </summary>
    public RecoveredState Recovered(long nowUnixMs)
    {
        var checkpoint = _loaded ?? throw new InvalidOperationException("No checkpoint was loaded.");
        _loaded = null;
        var keys = checkpoint.IdempotencyKeys.ToDictionary(k => k.RecordKey);
        foreach (var (recordKey, reply) in _replies)
        {
            if (keys.TryGetValue(recordKey, out var key) && key.ExpiresUnixMs == reply.ExpiresUnixMs)
            {
                keys[recordKey] = key.With(reply);
            }
        }

        foreach (var (recordKey, key) in _idempotencyKeys)
        {
            keys[recordKey] = key;
        }

        return new RecoveredState(
            checkpoint.Lsn,
            Lsn,
            _lastMessageId,
            _lastEgressId,
            _inbox.Over(checkpoint.Pending, m => m.Id).OrderBy(m => m.Id).ToList(),
            _outbox.Over(checkpoint.Egress, e => e.Id).OrderBy(e => e.Id).ToList(),
            _deadLetters.Over(checkpoint.DeadLetters, d => d.Message.Id).OrderBy(d => d.Message.Id).ToList(),
            keys.Values.Where(k => k.ExpiresUnixMs > nowUnixMs).ToList(),
            checkpoint.IdempotencyKeysFindable);
    }

    /// <summary>Freezes what changed up to <paramref name="lsn"/> for a checkpoint; loads keep seeing it until it is written.</summary>
    public CheckpointWork BeginCheckpoint(long lsn, long nextMessageId, long nextEgressId, long nowUnixMs)
    {
        Dictionary<Address, Dictionary<string, byte[]>> states;
        lock (_gate)
        {
            if (_checkpointing is not null)
            {
                throw new InvalidOperationException("A checkpoint is already being written.");
            }

            states = _checkpointing = _states;
            _states = new();
        }

        var (pendingAdded, pendingRemoved) = _inbox.Take();
        var (egressAdded, egressRemoved) = _outbox.Take();
        var (deadAdded, deadRemoved) = _deadLetters.Take();
        var idempotencyKeys = _idempotencyKeys.Values.Where(k => k.ExpiresUnixMs > nowUnixMs).ToList();
        var replies = _replies.Values.Where(r => r.ExpiresUnixMs > nowUnixMs).ToList();
        _idempotencyKeys = new();
        _replies = new();
        return new CheckpointWork
        {
            Lsn = lsn,
            NextMessageId = nextMessageId,
            NextEgressId = nextEgressId,
            States = states,
            PendingAdded = pendingAdded,
            PendingRemoved = pendingRemoved,
            EgressAdded = egressAdded,
            EgressRemoved = egressRemoved,
            DeadLettersAdded = deadAdded,
            DeadLettersRemoved = deadRemoved,
            IdempotencyKeysAdded = idempotencyKeys,
            Replies = replies,
            IdempotencyExpiredBeforeUnixMs = nowUnixMs,
        };
    }

    /// <summary>The checkpoint is durable in LiteDB: loads now read its states from there.</summary>
    public void EndCheckpoint()
    {
        lock (_gate)
        {
            _checkpointing = null;
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken)
    {
        // Capture the newer layers first: if a checkpoint completes meanwhile, LiteDB is then at least as new.
        Dictionary<string, byte[]>? newest = null;
        Dictionary<string, byte[]>? checkpointing = null;
        lock (_gate)
        {
            if (_states.TryGetValue(address, out var members))
            {
                newest = new Dictionary<string, byte[]>(members, StringComparer.Ordinal);
            }

            _checkpointing?.TryGetValue(address, out checkpointing);
        }

        var stored = await checkpoints.LoadAsync(address, cancellationToken).ConfigureAwait(false);
        if (newest is null && checkpointing is null)
        {
            return stored;
        }

        var merged = stored is null ? new Dictionary<string, byte[]>(StringComparer.Ordinal) : new Dictionary<string, byte[]>(stored, StringComparer.Ordinal);
        foreach (var layer in new[] { checkpointing, newest })
        {
            if (layer is not null)
            {
                foreach (var (name, bytes) in layer)
                {
                    merged[name] = bytes;
                }
            }
        }

        return merged;
    }

    /// <summary>Durable mode never writes state on swap-out: it is already in the log (and this view).</summary>
    public ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>What recovery found: the durable state as of the last log record, as a whole.</summary>
/// <param name="CheckpointLsn">The last log record the checkpoint covered.</param>
/// <param name="Lsn">The last log record applied after it.</param>
/// <param name="LastMessageId">The highest message id given so far (ids are never reused).</param>
/// <param name="LastEgressId">The highest egress record id given so far.</param>
/// <param name="Inbox">Pending messages, delayed ones included, in id order.</param>
/// <param name="Outbox">Egress records not acknowledged, in id order.</param>
/// <param name="DeadLetters">Dead letters not re-driven, in id order.</param>
/// <param name="IdempotencyKeys">Dedup records not expired, with their outcomes so far.</param>
/// <param name="IdempotencyKeysFindable">Whether the checkpoint store finds each of them by fingerprint once the next checkpoint is written.</param>
internal sealed record RecoveredState(
    long CheckpointLsn,
    long Lsn,
    long LastMessageId,
    long LastEgressId,
    List<LoggedMessage> Inbox,
    List<LoggedEgress> Outbox,
    List<LoggedDeadLetter> DeadLetters,
    List<LoggedIdempotencyKey> IdempotencyKeys,
    bool IdempotencyKeysFindable);

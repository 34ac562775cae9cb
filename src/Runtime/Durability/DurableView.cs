using StatefulFunctions.Storage;

namespace StatefulFunctions.Durability;

/// <summary>
/// What is durable but not yet in a LiteDB checkpoint: the state members the log changed since the last checkpoint
/// (consulted before LiteDB when a cold instance is loaded) and the pending messages, egress records, dead letters and
/// dedup records of idempotency keys added or removed since. Written by the group committer only; read by shards loading cold state.
/// </summary>
internal sealed class DurableView(LiteDbStateStore checkpoints) : IStateStore
{
    private readonly object _gate = new();
    private readonly ChangeSet<LoggedMessage> _pending = new();
    private readonly ChangeSet<LoggedEgress> _egress = new();
    private readonly ChangeSet<LoggedDeadLetter> _deadLetters = new();
    private readonly TypeNameCache _typeNames = new();
    private Dictionary<IdempotencyRecordKey, LoggedIdempotencyKey> _idempotencyKeys = new();
    private Dictionary<IdempotencyRecordKey, LoggedReply> _replies = new();
    private Dictionary<Address, Dictionary<string, byte[]>> _states = new();
    private Dictionary<Address, Dictionary<string, byte[]>>? _checkpointing;

    public LiteDbStateStore Checkpoints => checkpoints;

    /// <summary>True while a checkpoint is being written.</summary>
    public bool Checkpointing
    {
        get
        {
            lock (_gate)
            {
                return _checkpointing is not null;
            }
        }
    }

    public void Apply(CommitRecord record)
    {
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
            _pending.Add(message.Id, message);
        }

        foreach (var id in record.Consumed)
        {
            _pending.Remove(id);
        }

        foreach (var egress in record.Egress)
        {
            _egress.Add(egress.Id, egress);
        }

        foreach (var id in record.EgressAcknowledged)
        {
            _egress.Remove(id);
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

        var (pendingAdded, pendingRemoved) = _pending.Take();
        var (egressAdded, egressRemoved) = _egress.Take();
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

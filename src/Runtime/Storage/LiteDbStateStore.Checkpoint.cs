using System.Diagnostics.CodeAnalysis;
using LiteDB;
using MemoryPack;

namespace StatefulFunctions.Storage;

// Checkpoints: writing one in chunked transactions (a refused chunk again document by document), and reading one back at start.
internal sealed partial class LiteDbStateStore
{
    /// <summary>
    /// Writes a checkpoint in chunks of documents, with its log position in the last transaction. A crash in between
    /// is harmless: replaying the log from the previous position sets the same values again.
    /// </summary>
    /// <remarks>
    /// A chunk that LiteDB fails is written again one document per transaction, the file reopened first: a state
    /// LiteDB refuses for what it is (too large for a document, say) is set aside in a file of the quarantine folder
    /// (<see cref="QuarantinePath"/>) with the reason, and everything else is stored. Any other failure, or a refusal of
    /// anything but a state, is thrown: the runtime stops on it, and recovers from the log on the next start.
    /// </remarks>
    /// <returns>What was set aside, if anything.</returns>
    internal IReadOnlyList<QuarantinedRecord> WriteCheckpoint(CheckpointWork work)
    {
        var writes = new List<CheckpointWrite>();
        foreach (var (address, members) in work.States)
        {
            writes.Add(new($"the state of {address}", () => MergeState(address, members), () => MergedState(address, members)));
        }

        AddWrites(writes, PendingCollection, "pending message", work.PendingAdded, m => m.Id, work.PendingRemoved);
        AddWrites(writes, EgressCollection, "egress record", work.EgressAdded, e => e.Id, work.EgressRemoved);
        AddWrites(writes, DeadLetterCollection, "dead letter", work.DeadLettersAdded, d => d.Message.Id, work.DeadLettersRemoved);
        AddIdempotencyWrites(writes, work);
        var meta = new CheckpointWrite("the checkpoint's position", () => _meta.Upsert(new BsonDocument
        {
            ["_id"] = CheckpointKey,
            ["lsn"] = work.Lsn,
            ["next_message_id"] = work.NextMessageId,
            ["next_egress_id"] = work.NextEgressId,
            ["stored_keys"] = new BsonValue(_stored.ToBytes()),
        }), Content: null);

        var quarantined = new List<QuarantinedRecord>();
        for (var start = 0; start < writes.Count || start == 0; start += CheckpointChunk)
        {
            var last = start + CheckpointChunk >= writes.Count;
            var chunk = writes.Skip(start).Take(CheckpointChunk).ToList();
            if (last)
            {
                chunk.Add(meta);
            }

            try
            {
                Transaction(chunk);
            }
            catch (LiteException)
            {
                Reopen();
                foreach (var write in chunk)
                {
                    WriteAlone(write, work.Lsn, quarantined);
                }
            }

            if (last)
            {
                break;
            }
        }

        lock (_gate)
        {
            MakeDurable();
        }

        return quarantined;
    }

    /// <summary>Runs writes in one LiteDB transaction, under the gate and the engine lock.</summary>
    private void Transaction(IEnumerable<CheckpointWrite> writes)
    {
        lock (_gate)
        {
            lock (_engine)
            {
                if (!_database.BeginTrans())
                {
                    throw new InvalidOperationException($"LiteDB did not begin a transaction on '{Path}': one is already open on this thread.");
                }

                try
                {
                    foreach (var write in writes)
                    {
                        write.Write();
                    }

                    _database.Commit();
                }
                catch
                {
                    RollbackQuietly();
                    throw;
                }
            }
        }
    }

    /// <summary>Rolls back after a failed write, keeping the failure that caused it: a rollback that fails too (an engine LiteDB closed) is not news.</summary>
    private void RollbackQuietly()
    {
        try
        {
            _database.Rollback();
        }
        catch (Exception exception) when (exception is LiteException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The file is reopened before anything else is written to it.
        }
    }

    /// <summary>
    /// One document in its own transaction. A state LiteDB refuses (too large, a key it cannot index) is set aside at
    /// once: a refusal does not change with a retry. Any other LiteDB failure is retried once, the file reopened in
    /// between, and then thrown: the runtime stops on it rather than set aside a document LiteDB could have stored.
    /// </summary>
    private void WriteAlone(CheckpointWrite write, long lsn, List<QuarantinedRecord> quarantined)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Transaction([write]);
                return;
            }
            catch (LiteException exception) when (IsRefusal(exception) && write.Content is not null)
            {
                Reopen();
                quarantined.Add(Quarantine(write, lsn, exception));
                return;
            }
            catch (LiteException) when (attempt == 1)
            {
                Reopen();
            }
        }
    }

    /// <summary>
    /// Reads what the last checkpoint holds besides state: ids, pending messages, egress outbox, dead letters, and the
    /// dedup records not expired at <paramref name="nowUnixMs"/>.
    /// </summary>
    internal StoredCheckpoint ReadCheckpoint(long nowUnixMs)
    {
        lock (_gate)
        lock (_engine)
        {
            var meta = _meta.FindById(CheckpointKey);
            var live = ReadLiveIdempotencyKeys(nowUnixMs);
            return new StoredCheckpoint(
                meta?["lsn"].AsInt64 ?? 0,
                meta?["next_message_id"].AsInt64 ?? 0,
                meta?["next_egress_id"].AsInt64 ?? 0,
                ReadAll<LoggedMessage>(PendingCollection),
                ReadAll<LoggedEgress>(EgressCollection),
                ReadAll<LoggedDeadLetter>(DeadLetterCollection),
                live.Keys,
                live.Findable);
        }
    }

    private void AddWrites<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(List<CheckpointWrite> writes, string collection, string kind, List<T> added, Func<T, long> id, List<long> removed)
    {
        // The collection is looked up when a write runs: a retry after Reopen writes to the new database.
        foreach (var item in added)
        {
            var bytes = MemoryPackSerializer.Serialize(item);
            writes.Add(new($"{kind} {id(item)}", () => _database.GetCollection(collection).Upsert(new BsonDocument { ["_id"] = id(item), ["b"] = new BsonValue(bytes) }), Content: null));
        }

        foreach (var gone in removed)
        {
            writes.Add(new($"the removal of {kind} {gone}", () => _database.GetCollection(collection).Delete(gone), Content: null));
        }
    }

    private List<T> ReadAll<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string collection)
    {
        var items = new List<T>();
        foreach (var document in _database.GetCollection(collection).FindAll())
        {
            try
            {
                items.Add(MemoryPackSerializer.Deserialize<T>(document["b"].AsBinary)
                    ?? throw new InvalidDataException("empty document"));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Document {document["_id"]} of '{collection}' in '{Path}' cannot be read: {exception.Message}", exception);
            }
        }

        return items;
    }

    /// <summary>Sets members of an address's stored state, keeping the members the change does not name.</summary>
    private void MergeState(Address address, Dictionary<string, byte[]> members)
    {
        var key = Key(address);

        // A key the filter has never seen has no document to merge with (LoadAsync relies on the same): no look-up.
        var mayExist = _stored.MightContain(key);
        _stored.Add(key); // before the write: the filter may claim too much, never too little
        var merged = mayExist && _states.FindById(DocumentId(key))?["m"] is { IsDocument: true } existing ? existing.AsDocument : new BsonDocument();
        foreach (var (name, bytes) in members)
        {
            merged[name] = new BsonValue(bytes);
        }

        _states.Upsert(StateDocument(key, merged));
    }

    /// <summary>The document of a state: its id, its members, and its full key when the id is a hash of it.</summary>
    private static BsonDocument StateDocument(string key, BsonDocument members)
    {
        var id = DocumentId(key);
        var document = new BsonDocument { ["_id"] = id, ["m"] = members };
        if (!ReferenceEquals(id, key))
        {
            document[FullKeyField] = key;
        }

        return document;
    }
}

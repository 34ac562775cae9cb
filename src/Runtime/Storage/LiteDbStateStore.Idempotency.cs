using System.Globalization;
using LiteDB;
using MemoryPack;

namespace StatefulFunctions.Storage;

// Dedup records of idempotency keys: written in batches by a checkpoint, read back whole at start, and one key at a
// time by its fingerprint once its record has left memory.
internal sealed partial class LiteDbStateStore
{
    /// <summary>How many dedup records (not outcomes) the last checkpoint holds, expired ones not yet deleted included.</summary>
    internal int CountIdempotencyKeys()
    {
        lock (_gate)
        lock (_engine)
        {
            return _idempotency.FindAll().Sum(d => ReadBatch(d).Keys.Count);
        }
    }

    /// <summary>
    /// The dedup records and outcomes of the checkpoint, sorted by expiry and cut into batches of at most
    /// <see cref="IdempotencyBatchRecords"/> records or about <see cref="IdempotencyBatchBytes"/> bytes, one document
    /// each, its id the checkpoint's log position and the batch number (so recovery reads them in checkpoint order), its
    /// indexed expiry that of its last record. Then every document whose records have all expired by the checkpoint's
    /// time is deleted by one range of the expiry index: no scan of the collection.
    /// </summary>
    private void AddIdempotencyWrites(List<CheckpointWrite> writes, CheckpointWork work)
    {
        var records = work.IdempotencyKeysAdded.Select(k => (k.ExpiresUnixMs, Key: (LoggedIdempotencyKey?)k, Reply: (LoggedReply?)null))
            .Concat(work.Replies.Select(r => (r.ExpiresUnixMs, Key: (LoggedIdempotencyKey?)null, Reply: (LoggedReply?)r)))
            .OrderBy(r => r.ExpiresUnixMs)
            .ToList();
        var batch = new IdempotencyBatch(new(), new());
        var (bytes, number, expires) = (0L, 0, 0L);
        foreach (var (expiresUnixMs, key, reply) in records)
        {
            // An upper bound of the record's stored size (strings as UTF-8 take at most 3 bytes a character). A batch
            // is closed before a record would take it past the limit: one record (at most MessageCodec.MaxStoredBytes of
            // reply) always fits a LiteDB document on its own.
            var size = key is not null
                ? 128 + (3L * (key.TargetType.Length + key.TargetId.Length + key.Key.Length + key.MessageType.Length + (key.ReplyType?.Length ?? 0) + (key.Detail?.Length ?? 0))) + (key.Reply?.Length ?? 0)
                : 128 + (3L * (reply!.TargetType.Length + reply.TargetId.Length + reply.Key.Length + (reply.ReplyType?.Length ?? 0) + (reply.Detail?.Length ?? 0))) + (reply.Reply?.Length ?? 0);
            if (batch.Keys.Count + batch.Replies.Count > 0 && bytes + size > IdempotencyBatchBytes)
            {
                AddBatch(batch, number++, expires);
                batch = new IdempotencyBatch(new(), new());
                bytes = 0;
            }

            if (key is not null)
            {
                batch.Keys.Add(key);
            }
            else
            {
                batch.Replies.Add(reply!);
            }

            bytes += size;
            expires = expiresUnixMs;
            if (batch.Keys.Count + batch.Replies.Count >= IdempotencyBatchRecords)
            {
                AddBatch(batch, number++, expires);
                batch = new IdempotencyBatch(new(), new());
                bytes = 0;
            }
        }

        if (batch.Keys.Count + batch.Replies.Count > 0)
        {
            AddBatch(batch, number, expires);
        }

        writes.Add(new("the deletion of expired dedup records", () => _idempotency.DeleteMany(BsonExpression.Create($"{ExpiresField} <= @0", new BsonValue(work.IdempotencyExpiredBeforeUnixMs))), Content: null));

        void AddBatch(IdempotencyBatch full, int batchNumber, long lastExpiry)
        {
            var bytes = MemoryPackSerializer.Serialize(full);
            var fingerprints = new BsonArray(
                full.Keys.Select(k => k.RecordKey.Fingerprint())
                    .Concat(full.Replies.Select(r => r.RecordKey.Fingerprint()))
                    .Distinct()
                    .Select(f => new BsonValue(f)));
            writes.Add(new(
                $"dedup records batch {batchNumber}",
                () => _idempotency.Upsert(new BsonDocument
                {
                    ["_id"] = string.Create(CultureInfo.InvariantCulture, $"{work.Lsn:D19}-{batchNumber:D9}"),
                    [ExpiresField] = lastExpiry,
                    [FingerprintsField] = fingerprints,
                    ["b"] = new BsonValue(bytes),
                }),
                Content: null)); // never set aside: dedup records keep exactly-once
        }
    }

    /// <summary>
    /// The dedup records that expire after <paramref name="nowUnixMs"/>, with their outcomes: the batches found by a
    /// range of the expiry index, applied in checkpoint order. Also whether every one of those batches can be found by
    /// fingerprint (batches written before fingerprints were stored cannot).
    /// </summary>
    private (List<LoggedIdempotencyKey> Keys, bool Findable) ReadLiveIdempotencyKeys(long nowUnixMs)
    {
        var batches = _idempotency.Find(BsonExpression.Create($"{ExpiresField} > @0", new BsonValue(nowUnixMs))).ToList();
        var findable = batches.TrueForAll(d => d.ContainsKey(FingerprintsField));
        var ordered = batches.OrderBy(d => d["_id"].AsString, StringComparer.Ordinal).Select(ReadBatch);
        return (Merge(ordered, about: null).Values.Where(k => k.ExpiresUnixMs > nowUnixMs).ToList(), findable);
    }

    /// <summary>
    /// The live dedup record of one address and key, found by its fingerprint, with its outcome; null when the
    /// checkpoint holds none that expires after <paramref name="nowUnixMs"/>. Not under the gate: a checkpoint being
    /// written does not hold it up longer than one of its transactions.
    /// </summary>
    internal LoggedIdempotencyKey? FindIdempotencyKey(string targetType, string targetId, string key, long nowUnixMs)
    {
        var about = new IdempotencyRecordKey(targetType, targetId, key);
        List<string> ids;
        lock (_engine)
        {
            ids = _idempotency.Find(BsonExpression.Create($"{FingerprintsField}[*] ANY = @0", new BsonValue(about.Fingerprint())))
                .Select(d => d["_id"].AsString)
                .ToList();
        }

        var batches = ids.Order(StringComparer.Ordinal).Select(ReadRecentBatch).ToList();
        return Merge(batches, about).TryGetValue(about, out var found) && found.ExpiresUnixMs > nowUnixMs ? found : null;
    }

    /// <summary>
    /// A batch of dedup records by id, from the few read last or from LiteDB. A batch never changes once written (a
    /// checkpoint written again writes the same); one deleted since holds only expired records, which callers skip.
    /// </summary>
    private IdempotencyBatch ReadRecentBatch(string id)
    {
        lock (_recentBatches)
        {
            var index = _recentBatches.FindIndex(b => b.Id == id);
            if (index >= 0)
            {
                return _recentBatches[index].Batch;
            }
        }

        BsonDocument? document;
        lock (_engine)
        {
            document = _idempotency.FindById(id);
        }

        var batch = document is null ? new IdempotencyBatch([], []) : ReadBatch(document);
        lock (_recentBatches)
        {
            if (_recentBatches.Count == RecentBatches)
            {
                _recentBatches.RemoveAt(0);
            }

            _recentBatches.Add((id, batch));
        }

        return batch;
    }

    /// <summary>
    /// Applies batches of dedup records in the order given, checkpoint order (a later record of a key replaces an
    /// earlier one; an outcome applies to the use of the key it names), all of them or only those <paramref name="about"/> one key.
    /// </summary>
    private static Dictionary<IdempotencyRecordKey, LoggedIdempotencyKey> Merge(IEnumerable<IdempotencyBatch> batches, IdempotencyRecordKey? about)
    {
        var keys = new Dictionary<IdempotencyRecordKey, LoggedIdempotencyKey>();
        foreach (var batch in batches)
        {
            foreach (var key in batch.Keys)
            {
                if (about is null || key.RecordKey == about)
                {
                    keys[key.RecordKey] = key;
                }
            }

            foreach (var reply in batch.Replies)
            {
                if (keys.TryGetValue(reply.RecordKey, out var key) && key.ExpiresUnixMs == reply.ExpiresUnixMs)
                {
                    keys[reply.RecordKey] = key.With(reply);
                }
            }
        }

        return keys;
    }

    private IdempotencyBatch ReadBatch(BsonDocument document)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<IdempotencyBatch>(document["b"].AsBinary) ?? throw new InvalidDataException("empty document");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Document {document["_id"]} of '{IdempotencyCollection}' in '{Path}' cannot be read: {exception.Message}", exception);
        }
    }
}

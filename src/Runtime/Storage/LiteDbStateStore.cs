using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;

namespace StatefulFunctions.Storage;

/// <summary>
/// State checkpoints in one embedded LiteDB file: one document per address, holding its per-member values as
/// LiteDB binary values in documents built by hand (no reflection mapper), plus the log position the checkpoint
/// covers, the pending messages, egress outbox, dead letters and dedup records of idempotency keys (indexed by expiry).
/// Writes are batched; a <c>SaveAsync</c> is durable
/// when it returns (LiteDB's own commit is not: it is followed by a checkpoint and an fsync of the file).
/// </summary>
internal sealed partial class LiteDbStateStore : IStateStore, IDisposable
{
    /// <summary>
    /// The largest state of one instance, in bytes of its serialized members: 15 MiB (a LiteDB document holds about
    /// 16 MiB). A handler that would leave a larger state fails, and its message is retried and then dead-lettered.
    /// </summary>
    public const int MaxStateBytes = 15 * 1024 * 1024;

    /// <summary>This store commits through a log beside its file: state, messages, timers and egress are exactly-once across crashes.</summary>
    T IStateStore.Choose<T>(IStoreKinds<T> kinds) => kinds.Durable(this);

    private const string StateCollection = "state";
    private const string MetaCollection = "meta";
    private const string PendingCollection = "pending";
    private const string EgressCollection = "egress";
    private const string DeadLetterCollection = "dead_letters";
    private const string IdempotencyCollection = "idempotency";

    /// <summary>The field of a batch of dedup records holding its last expiry (Unix ms), indexed: expired batches are deleted by a range of it.</summary>
    private const string ExpiresField = "e";

    /// <summary>
    /// The field of a batch of dedup records holding the fingerprints of its (address, key)s
    /// (<see cref="IdempotencyRecordKey.Fingerprint"/>), indexed element by element: a record that left memory is found by it.
    /// </summary>
    private const string FingerprintsField = "f";

    /// <summary>
    /// At most this many dedup records and outcomes in one document: few enough that reading one back for a single
    /// key (a retry of a key that left memory) is cheap.
    /// </summary>
    private const int IdempotencyBatchRecords = 512;

    /// <summary>How many batches of dedup records read back for a key are kept: retries after an outage come in about the order of the originals.</summary>
    private const int RecentBatches = 8;

    /// <summary>About this many bytes of dedup records and replies in one document at most (LiteDB's limit is 16 MiB).</summary>
    private const long IdempotencyBatchBytes = 4L * 1024 * 1024;

    /// <summary>Documents per LiteDB transaction when a checkpoint is written (the position is written last).</summary>
    private const int CheckpointChunk = 5_000;
    private const string CheckpointKey = "checkpoint";

    /// <summary>Ordinal comparison of document ids: two keys are one only when they are the same characters.</summary>
    private static readonly Collation OrdinalCollation = new(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal);

    /// <summary>
    /// The longest document id of a state, in UTF-8 bytes, that LiteDB 5 indexes ("Index key must be less than 1023
    /// bytes": it counts one byte more than the text; measured, 1,021 is the longest that works).
    /// A longer key is stored under its hash: see <see cref="DocumentId"/>.
    /// </summary>
    private const int MaxPlainKeyBytes = 1021;

    /// <summary>The field of a state document stored under a hashed id that holds the full key.</summary>
    private const string FullKeyField = "k";
    private const string HashedKeyPrefix = "sha256:";
    private const int HeaderMarkOffset = 32;
    private const int PageSize = 8192;
    private static readonly byte[] HeaderMark = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    // Replaced only by Reopen, under the gate and _engine.
    private LiteDatabase _database;
    private ILiteCollection<BsonDocument> _states;
    private ILiteCollection<BsonDocument> _meta;
    private ILiteCollection<BsonDocument> _idempotency;
    private readonly object _gate = new();

    /// <summary>
    /// Held by every call into LiteDB: cold loads (which do not take <see cref="_gate"/>), write transactions,
    /// <see cref="MakeDurable"/>'s <c>LiteDatabase.Checkpoint()</c>, the reads under the gate and <see cref="Reopen"/>.
    /// LiteDB 5.0.20 is not safe with two of these at once in one database: a load beside a checkpoint failed it with
    /// "must have no pages in use when call Clear() cache", and two loads of a store larger than its page cache read a
    /// buffer the cache was recycling ("page type must be index page", litedb-org/LiteDB#2817). A load is short (an index
    /// look-up and one document); it waits at most for one transaction. Order: <see cref="_gate"/> before this lock,
    /// never the other way (a load never takes the gate).
    /// </summary>
    private readonly Lock _engine = new();

    /// <summary>Held while the store is open: see <see cref="TakeFileLock"/>.</summary>
    private readonly FileStream _lock;
    private readonly StoredKeyFilter _stored;

    /// <summary>The batches of dedup records read back for single keys last, oldest first (see <see cref="ReadRecentBatch"/>).</summary>
    private readonly List<(string Id, IdempotencyBatch Batch)> _recentBatches = new(RecentBatches);

    /// <summary>Opens (or creates) the store file.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a LiteDB file, or LiteDB cannot read it; the file is left as it was.</exception>
    /// <exception cref="IOException">The path is a folder or lies under a file, or another runtime has the file open.</exception>
    public LiteDbStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        CheckIsFilePath(Path);
        CheckIsLiteDbFile(Path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _lock = TakeFileLock(Path);
        try
        {
            (_database, _states, _meta, _idempotency) = Open(Path);
            // Reads a page: a damaged file fails here, not later.
            _stored = LoadStoredKeyFilter(_meta.FindById(CheckpointKey));
        }
        catch (Exception exception)
        {
            _database?.Dispose();
            _lock.Dispose();
            if (exception is LiteException or ArgumentException or InvalidCastException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"The state store '{Path}' cannot be opened: LiteDB reports '{exception.Message}'. The file was left as it is.", exception);
            }

            throw;
        }
    }

    /// <summary>
    /// Closes the LiteDB file and opens it again: what a checkpoint does after LiteDB failed inside one (its page cache
    /// may then be inconsistent; what it committed is in the file and its own log). Waits for loads in progress.
    /// </summary>
    internal void Reopen()
    {
        lock (_gate)
        {
            lock (_engine)
            {
                try
                {
                    _database.Dispose();
                }
                catch (Exception exception) when (exception is LiteException or InvalidOperationException or IOException)
                {
                    // A database LiteDB failed in may fail to close as well; the new one reads the file as committed.
                }

                (_database, _states, _meta, _idempotency) = Open(Path);
            }
        }
    }

    private static (LiteDatabase, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>) Open(string path)
    {
        // A new file is created with the ordinal collation; an existing one is opened with its own (LiteDB refuses another).
        var created = !File.Exists(path) || new FileInfo(path).Length == 0;
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
        if (created)
        {
            connection.Collation = OrdinalCollation;
        }

        var database = new LiteDatabase(connection);

        // Keys are compared as they are: LiteDB's default collation (the culture's, ignoring case) made the states of
        // "Ada" and "ada", or "strasse" and "straße", one document. A file created with it is rebuilt once, ordinal.
        if (database.Pragma("COLLATION").AsString is { } collation && !collation.EndsWith("/Ordinal", StringComparison.OrdinalIgnoreCase))
        {
            database.Rebuild(new LiteDB.Engine.RebuildOptions { Collation = OrdinalCollation });
        }

        var idempotency = database.GetCollection(IdempotencyCollection);
        idempotency.EnsureIndex(ExpiresField);
        idempotency.EnsureIndex(FingerprintsField, $"$.{FingerprintsField}[*]");
        return (database, database.GetCollection(StateCollection), database.GetCollection(MetaCollection), idempotency);
    }

    /// <summary>The full path of the store file.</summary>
    public string Path { get; }

    /// <summary>The log position the last checkpoint covers (0 when none was written).</summary>
    public long CheckpointLsn
    {
        get
        {
            lock (_gate)
            lock (_engine)
            {
                return _meta.FindById(CheckpointKey)?["lsn"].AsInt64 ?? 0;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, byte[]>?> LoadAsync(Address address, CancellationToken cancellationToken)
    {
        // Not under the gate: LiteDB transactions belong to their thread, so a read sees the last commit and is not held
        // up by a checkpoint being written on another thread.
        var key = Key(address);
        var document = _stored.MightContain(key) ? Find(DocumentId(key)) : null;

        if (document is null)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, byte[]>?>(null);
        }

        if (document.TryGetValue(FullKeyField, out var fullKey) && fullKey.AsString != key)
        {
            throw new InvalidDataException($"The stored state under the hashed key of {address} in '{Path}' belongs to '{fullKey.AsString}'.");
        }

        var members = document["m"];
        if (!members.IsDocument)
        {
            throw new InvalidDataException($"The stored state of {address} in '{Path}' is not a document of members.");
        }

        var state = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in members.AsDocument)
        {
            state[name] = value.IsBinary
                ? value.AsBinary
                : throw new InvalidDataException($"Member '{name}' of the stored state of {address} in '{Path}' is a {value.Type}, not binary.");
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, byte[]>?>(state);
    }

    /// <summary>
    /// Test seam: called while a load is reading LiteDB, its enumeration of the state collection open (LiteDB pages in
    /// use), with the key being read.
    /// </summary>
    internal Action<string>? WhileReading { get; set; }

    /// <inheritdoc />
    public ValueTask SaveAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) => SaveAsync(changes, lsn: null, cancellationToken);

    /// <summary>Saves a batch of state changes, and the log position they cover, atomically and durably.</summary>
    internal ValueTask SaveAsync(IReadOnlyList<StateChange> changes, long? lsn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            Transaction([new CheckpointWrite("a batch of saved states", () => WriteSaved(changes, lsn), Content: null)]);
            MakeDurable();
        }

        return ValueTask.CompletedTask;
    }

    private void WriteSaved(IReadOnlyList<StateChange> changes, long? lsn)
    {
        foreach (var change in changes)
        {
            if (change.State is null)
            {
                _states.Delete(DocumentId(Key(change.Address)));
                continue;
            }

            var members = new BsonDocument();
            foreach (var (name, bytes) in change.State)
            {
                members[name] = new BsonValue(bytes);
            }

            var key = Key(change.Address);
            _stored.Add(key);
            _states.Upsert(StateDocument(key, members));
        }

        var meta = _meta.FindById(CheckpointKey) ?? new BsonDocument { ["_id"] = CheckpointKey, ["lsn"] = 0L };
        if (lsn is { } covered)
        {
            meta["lsn"] = covered;
        }

        meta["stored_keys"] = new BsonValue(_stored.ToBytes());
        _meta.Upsert(meta);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _database.Dispose();
        _lock.Dispose();
    }

    /// <summary>The stored document of a key, or null.</summary>
    private BsonDocument? Find(string id)
    {
        lock (_engine)
        {
            // A parameter, not Query.EQ: that writes the id into the expression's text, and LiteDB compiles (and caches)
            // a new lambda for every text it has not seen, ~1 ms and a cache entry per cold load.
            using var found = _states.Find(BsonExpression.Create("_id = @0", new BsonValue(id))).GetEnumerator();
            var document = found.MoveNext() ? found.Current : null;
            WhileReading?.Invoke(id);
            return document;
        }
    }

    /// <summary>The key of an address's state: <c>namespace/name/id</c> (neither type part contains '/').</summary>
    private static string Key(Address address) => $"{address.Type.Namespace}/{address.Type.Name}/{address.Id}";

    /// <summary>
    /// The document id of a state's key: the key itself (the same object) when LiteDB can index it, else
    /// <c>sha256:</c> and the hex SHA-256 of its UTF-8 bytes, the full key in the document beside it. A key always
    /// contains '/' and a hashed id never does, so the two kinds of id cannot meet. Addresses are limited to
    /// <see cref="TypeName.MaxFunctionTypeBytes"/> and <see cref="Address.MaxIdBytes"/>, more than a plain key holds;
    /// ids written before that limit existed are stored this way too.
    /// </summary>
    private static string DocumentId(string key)
    {
        if (key.Length * 3 <= MaxPlainKeyBytes || Encoding.UTF8.GetByteCount(key) <= MaxPlainKeyBytes)
        {
            return key;
        }

        return HashedKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>
    /// The filter of stored addresses from the last checkpoint; rebuilt from the state collection when a file has none
    /// (a file written before the filter existed).
    /// </summary>
    private StoredKeyFilter LoadStoredKeyFilter(BsonDocument? meta)
    {
        if (meta?["stored_keys"] is { IsBinary: true } bytes && StoredKeyFilter.FromBytes(bytes.AsBinary) is { } saved)
        {
            return saved;
        }

        var filter = new StoredKeyFilter();
        foreach (var document in _states.FindAll())
        {
            filter.Add(document.TryGetValue(FullKeyField, out var key) ? key.AsString : document["_id"].AsString);
        }

        return filter;
    }

    /// <summary>LiteDB's commit returns before its pages are on disk: copy the log into the data file, then fsync it.</summary>
    private void MakeDurable()
    {
        lock (_engine)
        {
            _database.Checkpoint();
        }

        using var file = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.Flush(flushToDisk: true);
    }

    /// <summary>One document a checkpoint writes: what it is (for a message), the write, and its content to set aside if LiteDB refuses it (null: nothing to keep).</summary>
    private readonly record struct CheckpointWrite(string What, Action Write, Func<byte[]>? Content);
}

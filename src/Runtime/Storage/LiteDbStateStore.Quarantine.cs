using System.Globalization;
using System.Text.Json;
using LiteDB;
using MemoryPack;

namespace StatefulFunctions.Storage;

// What a checkpoint cannot store: a state LiteDB refuses is set aside in a file, whole, and the rest is stored.
internal sealed partial class LiteDbStateStore
{
    /// <summary>The folder where a checkpoint sets aside what LiteDB refuses to store: <c>{path}.quarantine</c>.</summary>
    public string QuarantinePath => Path + ".quarantine";

    /// <summary>True when LiteDB refused a document for what it is (its size, its key, its depth), not for its own state.</summary>
    private static bool IsRefusal(LiteException exception) =>
        exception.ErrorCode is LiteException.INVALID_INDEX_KEY or LiteException.DOCUMENT_MAX_DEPTH or LiteException.INVALID_NULL_CHAR_STRING
        || exception.Message.StartsWith("Document size exceed", StringComparison.Ordinal);

    /// <summary>The whole state a refused write would have left: the stored members with the changed ones over them.</summary>
    private byte[] MergedState(Address address, Dictionary<string, byte[]> members)
    {
        var merged = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        lock (_gate)
        lock (_engine)
        {
            if (_states.FindById(DocumentId(Key(address)))?["m"] is { IsDocument: true } stored)
            {
                foreach (var (name, value) in stored.AsDocument)
                {
                    if (value.IsBinary)
                    {
                        merged[name] = value.AsBinary;
                    }
                }
            }
        }

        foreach (var (name, bytes) in members)
        {
            merged[name] = bytes;
        }

        return MemoryPackSerializer.Serialize(merged);
    }

    /// <summary>Writes what LiteDB refused, with why, to a file of the quarantine folder (fsynced).</summary>
    private QuarantinedRecord Quarantine(CheckpointWrite write, long lsn, LiteException exception)
    {
        Directory.CreateDirectory(QuarantinePath);

        // A name of its own: a checkpoint written again (after another failure) never overwrites what one set aside.
        var file = System.IO.Path.Combine(QuarantinePath, string.Create(CultureInfo.InvariantCulture, $"{lsn:D19}-{Guid.NewGuid():N}.json"));
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("what", write.What);
                json.WriteString("reason", exception.Message);
                json.WriteNumber("lsn", lsn);
                json.WriteString("setAsideAt", DateTimeOffset.UtcNow);
                json.WriteBase64String("memoryPack", write.Content!());
                json.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        return new QuarantinedRecord(write.What, exception.Message, file);
    }
}

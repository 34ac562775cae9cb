using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StatefulFunctions.Runtime;

/// <summary>The declared egresses, each a queue of committed records waiting for a reader.</summary>
internal sealed class EgressHub
{
    private readonly Dictionary<TypeName, (Type RecordType, Channel<(long Id, object Record)> Records)> _egresses = new();
    private readonly Dictionary<TypeName, string> _tags = new();
    private long _nextId;
    private long _highestPublished;

    /// <summary>The highest id of a record published so far (0 when none): a cursor covers nothing beyond it.</summary>
    public long HighestPublishedId => Volatile.Read(ref _highestPublished);

    public EgressHub(IReadOnlyDictionary<TypeName, Type> declared)
    {
        foreach (var (name, recordType) in declared)
        {
            _egresses.Add(name, (recordType, Channel.CreateUnbounded<(long, object)>()));
            _tags.Add(name, name.ToString());
        }
    }

    /// <summary>Raised for every record published, for test harnesses that keep a full trace.</summary>
    public event Action<TypeName, object>? Published;

    /// <summary>The text of a declared egress's name for a metric tag, formatted once.</summary>
    public string TagOf(TypeName egress) => _tags.TryGetValue(egress, out var text) ? text : egress.ToString();

    public void CheckDeclared(TypeName egress, Type recordType)
    {
        if (!_egresses.TryGetValue(egress, out var declared))
        {
            throw new InvalidOperationException($"Egress '{egress}' is not declared: add it in a module with module.AddEgress(...).");
        }

        if (!declared.RecordType.IsAssignableFrom(recordType))
        {
            throw new InvalidOperationException($"Egress '{egress}' carries {declared.RecordType.FullName}, not {recordType.FullName}.");
        }
    }

    /// <summary>Publishes a committed record; <paramref name="id"/> is its durable id, or 0 to number it here (in-memory storage).</summary>
    public void Publish(TypeName egress, object record, long id = 0)
    {
        if (id == 0)
        {
            id = Interlocked.Increment(ref _nextId);
        }

        for (var seen = Volatile.Read(ref _highestPublished); id > seen; seen = Volatile.Read(ref _highestPublished))
        {
            if (Interlocked.CompareExchange(ref _highestPublished, id, seen) == seen)
            {
                break;
            }
        }

        _egresses[egress].Records.Writer.TryWrite((id, record));
        Published?.Invoke(egress, record);
    }

    /// <summary>Reads records with their ids; <paramref name="onCaughtUp"/> is called whenever the reader has taken every record published so far.</summary>
    public async IAsyncEnumerable<EgressRecord<T>> ReadAsync<T>(EgressId<T> egress, Action? onCaughtUp, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CheckDeclared(egress.Name, typeof(T));
        var reader = _egresses[egress.Name].Records.Reader;
        do
        {
            while (reader.TryRead(out var item))
            {
                yield return new EgressRecord<T>(item.Id, (T)item.Record);
            }

            onCaughtUp?.Invoke();
        }
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The queue of one declared egress's records, read without knowing their type (the HTTP egress).</summary>
    public ChannelReader<(long Id, object Record)> ReaderOf(TypeName egress) => _egresses[egress].Records.Reader;

    /// <summary>No more records: readers end once they have read what was published (or then get <paramref name="failure"/>).</summary>
    public void Complete(Exception? failure = null)
    {
        foreach (var (_, records) in _egresses.Values)
        {
            records.Writer.TryComplete(failure);
        }
    }
}

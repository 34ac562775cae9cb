using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StatefulFunctions.Runtime;

/// <summary>The declared egresses, each a queue of committed records waiting for a reader.</summary>
internal sealed class EgressHub
{
    private readonly Dictionary<TypeName, (Type RecordType, Channel<object> Records)> _egresses = new();

    public EgressHub(IReadOnlyDictionary<TypeName, Type> declared)
    {
        foreach (var (name, recordType) in declared)
        {
            _egresses.Add(name, (recordType, Channel.CreateUnbounded<object>()));
        }
    }

    /// <summary>Raised for every record published, for test harnesses that keep a full trace.</summary>
    public event Action<TypeName, object>? Published;

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

    /// <summary>Publishes a committed record; <paramref name="id"/> is its durable id (0 with in-memory storage).</summary>
    public void Publish(TypeName egress, object record, long id = 0)
    {
        _ = id;
        _egresses[egress].Records.Writer.TryWrite(record);
        Published?.Invoke(egress, record);
    }

    public async IAsyncEnumerable<T> ReadAsync<T>(EgressId<T> egress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CheckDeclared(egress.Name, typeof(T));
        var reader = _egresses[egress.Name].Records.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                yield return (T)record;
            }
        }
    }

    public void Complete()
    {
        foreach (var (_, records) in _egresses.Values)
        {
            records.Writer.TryComplete();
        }
    }
}

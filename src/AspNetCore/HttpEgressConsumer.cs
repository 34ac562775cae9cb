using System.Threading.Channels;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// The HTTP consumer of one egress. Records are handed out with their ids and stay unacknowledged until a later
/// request's cursor (<c>Last-Event-ID</c> or <c>?after=</c>) covers them; a consumer that reconnects with an older
/// cursor is sent them again. At-least-once: the consumer de-duplicates by record id. One reader at a time. It lives
/// as long as the application's endpoints.
/// </summary>
internal sealed class HttpEgressConsumer(StatefulFunctionsRuntime runtime, TypeName egress, ChannelReader<(long Id, object Record)> source)
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly SortedDictionary<long, object> _handedOut = new();

    public TypeName Egress { get; } = egress;

    /// <summary>
    /// Takes the egress for one request; false when another request keeps reading it. Waits a moment first: a
    /// consumer reconnecting may arrive before its old connection is torn down.
    /// </summary>
    public Task<bool> TryBeginAsync(CancellationToken cancellationToken) => _reading.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);

    public void End() => _reading.Release();

    /// <summary>
    /// Acknowledges every handed-out record up to <paramref name="cursor"/> (durably), then returns the records handed
    /// out after it, to be sent again, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, object Record)>> ResumeAfterAsync(long cursor)
    {
        var done = _handedOut.Keys.TakeWhile(id => id <= cursor).ToList();
        if (done.Count > 0)
        {
            await runtime.AcknowledgeEgressAsync(done).ConfigureAwait(false);
            foreach (var id in done)
            {
                _handedOut.Remove(id);
            }
        }

        return _handedOut.Select(r => (r.Key, r.Value)).ToList();
    }

    /// <summary>
    /// The next new record, waiting for one until <paramref name="cancellationToken"/>; null when the runtime stopped
    /// (or its durable storage failed: readiness then says why, and the records not acknowledged come again after a restart).
    /// </summary>
    public async Task<(long Id, object Record)?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (source.TryRead(out var record))
            {
                _handedOut[record.Id] = record.Record;
                return record;
            }

            try
            {
                if (!await source.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
            catch (InvalidOperationException) when (runtime.StorageFailure is not null)
            {
                return null;
            }
        }
    }
}

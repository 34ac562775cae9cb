using System.Threading.Channels;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// The HTTP consumer of one egress. Records are handed out with their ids and stay unacknowledged until a later
/// request's cursor (<c>Last-Event-ID</c> or <c>?after=</c>) covers them; a consumer that reconnects with an older
/// cursor is sent them again. At-least-once: the consumer de-duplicates by record id. One reader at a time. It lives
/// as long as the application's endpoints.
/// </summary>
/// <remarks>
/// A cursor acknowledges every record up to it, whichever process handed the records out. After a restart the
/// egress hands out again the records that were not acknowledged before it, and a consumer's cursor may cover some
/// of them already: those are acknowledged then and skipped, never sent again.
/// </remarks>
internal sealed class HttpEgressConsumer(RuntimeServices services, TypeName egress, ChannelReader<(long Id, object Record)> source)
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly SortedDictionary<long, object> _handedOut = new();

    // The highest cursor a request brought: records up to it are done, even those this process has not handed out.
    private long _cursor;

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
        // A cursor covers only records that exist: one past them (a made-up ?after=, or a consumer that kept its
        // cursor across a new data directory) must not acknowledge records not yet written.
        cursor = Math.Min(cursor, services.Egress.HighestPublishedId);
        _cursor = Math.Max(_cursor, cursor);
        var done = _handedOut.Keys.TakeWhile(id => id <= cursor).ToList();
        if (done.Count > 0)
        {
            await services.AcknowledgeEgressAsync(done).ConfigureAwait(false);
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
    /// Records the cursor covers already are acknowledged (durably) and skipped.
    /// </summary>
    public async Task<(long Id, object Record)?> NextAsync(CancellationToken cancellationToken)
    {
        var covered = new List<long>();
        while (true)
        {
            while (source.TryRead(out var record))
            {
                if (record.Id <= _cursor)
                {
                    covered.Add(record.Id);
                    continue;
                }

                _handedOut[record.Id] = record.Record;
                await AcknowledgeAsync(covered).ConfigureAwait(false);
                return record;
            }

            await AcknowledgeAsync(covered).ConfigureAwait(false);

            try
            {
                if (!await source.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
            catch (InvalidOperationException) when (services.StorageFailure is not null)
            {
                return null;
            }
        }
    }

    private async Task AcknowledgeAsync(List<long> covered)
    {
        if (covered.Count > 0)
        {
            await services.AcknowledgeEgressAsync(covered.ToList()).ConfigureAwait(false);
            covered.Clear();
        }
    }
}

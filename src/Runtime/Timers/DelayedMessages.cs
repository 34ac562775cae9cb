namespace StatefulFunctions.Runtime;

/// <summary>
/// Pending delayed messages, ordered by due time, with one timer from the runtime's <see cref="TimeProvider"/>
/// armed for the earliest. Cancellation tokens are scoped to the instance that sent the message.
/// </summary>
internal sealed class DelayedMessages : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<DelayedMessage, (DateTimeOffset Due, long Sequence)> _queue = new();
    private readonly Dictionary<(Address? Owner, string Token), DelayedMessage> _byToken = new();
    private readonly TimeProvider _time;
    private readonly Action<Envelope> _deliver;
    private readonly ITimer _timer;
    private long _sequence;

    public DelayedMessages(TimeProvider time, Action<Envelope> deliver)
    {
        _time = time;
        _deliver = deliver;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Schedule(Address? owner, string? token, TimeSpan delay, Envelope envelope) =>
        ScheduleAt(owner, token, _time.GetUtcNow() + delay, envelope);

    public void ScheduleAt(Address? owner, string? token, DateTimeOffset due, Envelope envelope)
    {
        lock (_gate)
        {
            var delayed = new DelayedMessage(owner, token, due, envelope);
            if (token is not null)
            {
                if (_byToken.Remove((owner, token), out var replaced))
                {
                    replaced.Cancelled = true;
                }

                _byToken.Add((owner, token), delayed);
            }

            _queue.Enqueue(delayed, (delayed.Due, _sequence++));
            Arm();
        }
    }

    public void Cancel(Address? owner, string token) => TryCancel(owner, token);

    /// <summary>Cancels the pending delayed message <paramref name="owner"/> named <paramref name="token"/>: false when none is pending (it fired, or never was).</summary>
    public bool TryCancel(Address? owner, string token)
    {
        lock (_gate)
        {
            if (_byToken.Remove((owner, token), out var cancelled))
            {
                cancelled.Cancelled = true;
                return true;
            }

            return false;
        }
    }

    /// <summary>Whether <paramref name="owner"/> has a delayed message named <paramref name="token"/> that has not fired.</summary>
    public bool IsPending(Address? owner, string token)
    {
        lock (_gate)
        {
            return _byToken.ContainsKey((owner, token));
        }
    }

    /// <summary>The delayed messages still to fire, earliest first.</summary>
    public IReadOnlyList<DelayedMessage> Pending()
    {
        lock (_gate)
        {
            return _queue.UnorderedItems
                .Where(item => !item.Element.Cancelled)
                .OrderBy(item => item.Priority)
                .Select(item => item.Element)
                .ToList();
        }
    }

    /// <summary>When the earliest pending delayed message is due, or null when none is pending.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            foreach (var (element, priority) in _queue.UnorderedItems.OrderBy(item => item.Priority))
            {
                if (!element.Cancelled)
                {
                    return priority.Due;
                }
            }

            return null;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        // Delivered in due order under the lock (delivery only enqueues), so two timer callbacks racing each
        // other cannot reorder the messages of one address.
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_queue.TryPeek(out var next, out var priority) && priority.Due <= now)
            {
                _queue.Dequeue();
                if (next.Cancelled)
                {
                    continue;
                }

                if (next.CancellationToken is not null)
                {
                    _byToken.Remove((next.Owner, next.CancellationToken));
                }

                _deliver(next.Envelope);
            }

            Arm();
        }
    }

    private void Arm()
    {
        while (_queue.TryPeek(out var next, out _) && next.Cancelled)
        {
            _queue.Dequeue();
        }

        if (_queue.TryPeek(out _, out var priority))
        {
            var wait = priority.Due - _time.GetUtcNow();
            _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}

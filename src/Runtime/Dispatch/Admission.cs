namespace StatefulFunctions.Runtime;

/// <summary>
/// Admission of work: counts what is in flight (messages queued or running, units waiting for the group commit), says
/// when the runtime is idle, and makes senders from outside wait while <c>MaxQueuedMessages</c> is reached. Any thread.
/// </summary>
internal sealed class Admission(int bound, Func<bool> isAcceptingWork)
{
    private readonly object _roomGate = new();
    private TaskCompletionSource _idle = NewIdleSignal();
    private TaskCompletionSource? _room;
    private long _pending;

    /// <summary>Messages queued or running plus units waiting for the group commit; never negative.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Whether a sender from outside may go on without waiting.</summary>
    public bool HasRoom => Volatile.Read(ref _pending) < bound;

    /// <summary>Completes when no message is queued or running (delayed messages not yet due do not count).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _idle);
            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _idle, NewIdleSignal(), signal);
                continue;
            }

            if (Interlocked.Read(ref _pending) == 0)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits while the bound is reached (see <see cref="WaitForRoomCoreAsync"/>); at once when there is room.</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken) =>
        HasRoom ? ValueTask.CompletedTask : WaitForRoomCoreAsync(cancellationToken);

    /// <summary>
    /// Backpressure: waits until the work in flight has drained to half the bound, or until the count is below the
    /// bound where it settles (see <see cref="OfferRoom"/>), or until the runtime stops accepting work.
    /// </summary>
    public async ValueTask WaitForRoomCoreAsync(CancellationToken cancellationToken)
    {
        // Once the runtime stops accepting work (stopping, or its storage failed) nobody waits for room: the send
        // goes on to be accepted or refused like any other.
        while (!HasRoom && isAcceptingWork())
        {
            TaskCompletionSource room;
            lock (_roomGate)
            {
                room = _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            // The waiter is published before the count is read again; whoever lowers the count reads it after.
            Interlocked.MemoryBarrier();
            if (HasRoom || !isAcceptingWork())
            {
                break;
            }

            await room.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a message queued or running, or a unit waiting for the group commit (see <see cref="WhenIdleAsync"/>).</summary>
    public void WorkStarted() => Interlocked.Increment(ref _pending);

    public void WorkDone(int count)
    {
        var pending = Interlocked.Add(ref _pending, -count);
        if (pending == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }

        var half = bound / 2;
        if (pending <= half && pending + count > half && Volatile.Read(ref _room) is not null)
        {
            LetSendersIn();
        }
    }

    /// <summary>
    /// Called where the count has settled (a shard about to wait for its inbox or in a handler, the group commit after
    /// a batch): a sender waiting for room goes on as soon as the count is below the bound. The count runs ahead of
    /// the work while a shard has not yet reported what it finished or a committed unit is being released; a sender
    /// that read it then must not wait for half the bound to drain when nothing is left that would drain it.
    /// </summary>
    public void OfferRoom()
    {
        if (Volatile.Read(ref _room) is not null && (HasRoom || !isAcceptingWork()))
        {
            LetSendersIn();
        }
    }

    private void LetSendersIn()
    {
        lock (_roomGate)
        {
            _room?.TrySetResult();
            _room = null;
        }
    }

    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

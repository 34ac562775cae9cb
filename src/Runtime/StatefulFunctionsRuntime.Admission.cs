namespace StatefulFunctions;

// Admission: the count of work in flight, idleness, and backpressure for senders from outside.
public sealed partial class StatefulFunctionsRuntime
{
    private TaskCompletionSource _idle = NewIdleSignal();
    private long _pending;
    private readonly object _roomGate = new();
    private TaskCompletionSource? _room;

    /// <summary>Messages queued or running plus units waiting for the group commit; never negative.</summary>
    internal long PendingCount => Interlocked.Read(ref _pending);

    /// <summary>Completes when no message is queued or running (delayed messages not yet due do not count).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
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

    private ValueTask WaitForRoomAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _pending) < Options.MaxQueuedMessages ? ValueTask.CompletedTask : WaitForRoomCoreAsync(cancellationToken);

    private async ValueTask WaitForRoomCoreAsync(CancellationToken cancellationToken)
    {
        // Once the runtime stops accepting work (stopping, or its storage failed) nobody waits for room: the send
        // goes on to be accepted or refused like any other.
        while (Volatile.Read(ref _pending) >= Options.MaxQueuedMessages && IsAcceptingWork)
        {
            TaskCompletionSource room;
            lock (_roomGate)
            {
                room = _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            // The waiter is published before the count is read again; whoever lowers the count reads it after.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _pending) < Options.MaxQueuedMessages || !IsAcceptingWork)
            {
                break;
            }

            await room.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a message queued or running, or a unit waiting for the group commit (see <see cref="WhenIdleAsync"/>).</summary>
    internal void WorkStarted() => Interlocked.Increment(ref _pending);

    internal void WorkDone(int count = 1)
    {
        var pending = Interlocked.Add(ref _pending, -count);
        if (pending == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }

        var half = Options.MaxQueuedMessages / 2;
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
    internal void OfferRoom()
    {
        if (Volatile.Read(ref _room) is not null && (Volatile.Read(ref _pending) < Options.MaxQueuedMessages || !IsAcceptingWork))
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

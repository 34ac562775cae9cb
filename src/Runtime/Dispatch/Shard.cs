using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>
/// One slice of the address space with its own dispatcher loop. Messages of an address run one at a time, in
/// arrival order, so user state needs no locks; instances share the loop, with no thread or task per instance.
/// The loop takes messages and commands from the shard's inbox; the <see cref="Dispatcher"/> handles each message,
/// and the shard's <see cref="ActivationCache"/> holds its warm instances.
/// </summary>
internal sealed partial class Shard
{
    private readonly StatefulFunctionsRuntime _runtime;
    private readonly Channel<ShardWork> _queue = Channel.CreateUnbounded<ShardWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dispatcher _dispatcher;
    private long _handled;
    private long _inboxAdded; // messages put into the inbox while the depth gauge listens, by any sender (atomically)
    private long _inboxTaken; // messages taken by the loop while it listens; written by the loop only
    private Task _loop = Task.CompletedTask;

    public Shard(StatefulFunctionsRuntime runtime, int index, long cacheBytes)
    {
        _runtime = runtime;
        Index = index;
        Cache = new ActivationCache(runtime, cacheBytes);
        _dispatcher = new Dispatcher(runtime, Cache);
    }

    public int Index { get; }

    /// <summary>This shard's part of the warm-state cache.</summary>
    public ActivationCache Cache { get; }

    public int WarmCount => Cache.Count;

    /// <summary>Messages whose handling ended (handled or dead-lettered); written by this shard's loop only.</summary>
    public long Handled => Volatile.Read(ref _handled);

    /// <summary>
    /// Messages in the inbox not yet taken by the loop, for the inbox depth gauge (any thread). The single-reader
    /// channel cannot count, so senders and the loop count while the gauge listens, with nothing stored per message.
    /// Messages queued before the gauge got a listener make it read low until the inbox drains once; whenever it
    /// drains, the loop sets the counts equal again.
    /// </summary>
    public long InboxDepth
    {
        get
        {
            var taken = Volatile.Read(ref _inboxTaken);
            return Math.Max(0, Volatile.Read(ref _inboxAdded) - taken);
        }
    }

    public void Start()
    {
        // The loop must not inherit the ambient context of whoever starts the runtime: an Activity.Current there
        // would become the parent of the span of every message without trace context of its own.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    public void Enqueue(ShardWork work)
    {
        // Counted before it is written, so the loop never takes a message it was not yet counted for.
        var counted = RuntimeMetrics.InboxDepthEnabled && work is Envelope;
        if (counted)
        {
            Interlocked.Increment(ref _inboxAdded);
        }

        if (!_queue.Writer.TryWrite(work))
        {
            if (counted)
            {
                Interlocked.Decrement(ref _inboxAdded);
            }

            throw new InvalidOperationException("The stateful functions runtime is stopped.");
        }
    }

    public async Task<T> RunOnLoopAsync<T>(Func<Shard, ValueTask<T>> run)
    {
        var result = default(T)!;
        var command = new ShardCommand(async shard => result = await run(shard).ConfigureAwait(false));
        Enqueue(command);
        await command.Done.ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Lets the loop finish what is queued, then swaps out the dirty instances. Returns false, leaving the instances as
    /// they are, when the loop does not end before <paramref name="cancellationToken"/> (a handler that never returns).
    /// </summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        await Cache.SwapOutDirtyAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>The committed state of an address: warm if cached, else from the store. Runs on the loop.</summary>
    public ValueTask<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address) => Cache.ReadStateAsync(address);

    private async Task RunAsync()
    {
        // Finished messages are reported to the runtime's shared pending count in small batches (one atomic
        // operation per batch instead of per message); always before the loop waits, for its inbox or in a handler,
        // so that neither idleness nor room for a waiting sender is missed.
        const int ReportEvery = 64;
        var reader = _queue.Reader;
        var finished = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var work))
            {
                if (work is Envelope envelope)
                {
                    if (RuntimeMetrics.InboxDepthEnabled)
                    {
                        Volatile.Write(ref _inboxTaken, _inboxTaken + 1);
                    }

                    var processing = _dispatcher.ProcessSafelyAsync(envelope);
                    if (!processing.IsCompleted)
                    {
                        Settle(ref finished); // the loop waits in a handler: what it finished no longer counts
                    }

                    await processing.ConfigureAwait(false);
                    if (++finished == ReportEvery)
                    {
                        ReportFinished(ref finished);
                    }
                }
                else
                {
                    var running = ((ShardCommand)work).RunAsync(this);
                    if (!running.IsCompleted)
                    {
                        Settle(ref finished);
                    }

                    await running.ConfigureAwait(false);
                }
            }

            // Instances kept over the bound because their change was not yet durable: what has been committed since
            // is swapped out now, before the loop waits and before what it finished counts as done (the group commit
            // asks again for what commits later; see EvictIfOverBound).
            if (Cache.IsOverBound)
            {
                try
                {
                    await Cache.EvictAsync(keep: null).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    LogSwapOutFailed(_runtime.Logger, exception, Index); // they stay warm; the next eviction tries again
                }
            }

            Settle(ref finished);

            // The inbox is empty (but for a message being added right now): its depth is 0, whatever was counted.
            Volatile.Write(ref _inboxTaken, Volatile.Read(ref _inboxAdded));
        }
    }

    /// <summary>Before the loop waits (for its inbox, or in a handler): reports what it finished, and lets a sender waiting for room in if there is room.</summary>
    private void Settle(ref int finished)
    {
        ReportFinished(ref finished);
        _runtime.OfferRoom();
    }

    private void ReportFinished(ref int finished)
    {
        if (finished > 0)
        {
            Volatile.Write(ref _handled, _handled + finished);
            _runtime.WorkDone(finished);
            finished = 0;
        }
    }

    /// <summary>
    /// In durable mode, after a group commit: instances that could not be swapped out while their latest change was
    /// not durable can be now.
    /// </summary>
    public void EvictIfOverBound()
    {
        if (Cache.TakeOverBound())
        {
            _ = _queue.Writer.TryWrite(new ShardCommand(shard => shard.Cache.EvictAsync(keep: null))); // a stopped shard needs none
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Shard {Shard} could not swap out instances over the cache bound; they stay in memory and are tried again")]
    private static partial void LogSwapOutFailed(ILogger logger, Exception exception, int shard);
}

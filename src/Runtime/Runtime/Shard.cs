using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Durability;
using StatefulFunctions.Generation;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// One slice of the address space with its own dispatcher loop. Messages of an address run one at a time, in
/// arrival order, so user state needs no locks; instances share the loop, with no thread or task per instance.
/// The shard also owns its part of the warm-state cache and its pool of function objects.
/// </summary>
internal sealed partial class Shard
{
    private const int MaxPooledPerType = 64;

    private readonly StatefulFunctionsRuntime _runtime;
    private readonly Channel<ShardWork> _queue = Channel.CreateUnbounded<ShardWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<Address, Activation> _activations = new();
    private readonly LinkedList<Activation> _lru = new();
    private readonly Dictionary<FunctionType, Stack<IStatefulFunction>> _pool = new();
    private readonly InvocationContext _context;
    private readonly StateWriter _writer = new();
    private readonly long _cacheBytes;
    private long _cachedBytes;
    private long _handled;
    private long _inboxAdded; // messages put into the inbox while the depth gauge listens, by any sender (atomically)
    private long _inboxTaken; // messages taken by the loop while it listens; written by the loop only
    private bool _overBound;
    private Task _loop = Task.CompletedTask;

    public Shard(StatefulFunctionsRuntime runtime, int index, long cacheBytes)
    {
        _runtime = runtime;
        Index = index;
        _cacheBytes = cacheBytes;
        _context = new InvocationContext(runtime);
    }

    public int Index { get; }

    public int WarmCount => _activations.Count;

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

        await SwapOutAsync(_activations.Values.Where(a => a.Dirty).ToList(), CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>The committed state of an address: warm if cached, else from the store. Runs on the loop.</summary>
    public async ValueTask<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address)
    {
        var state = _activations.TryGetValue(address, out var activation)
            ? activation.Committed
            : await _runtime.Store.LoadAsync(address, CancellationToken.None).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        // As a handler would see it: members past their time to live read as a new instance's value.
        var copy = new Dictionary<string, byte[]>(state, StringComparer.Ordinal);
        if (_runtime.Model.Functions.TryGetValue(address.Type, out var type))
        {
            type.Expiry.Expire(copy, _runtime.TimeProvider.GetUtcNow());
        }

        return copy;
    }

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

                    var processing = ProcessSafelyAsync(envelope);
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
            if (Volatile.Read(ref _overBound))
            {
                try
                {
                    await EvictAsync(keep: null).ConfigureAwait(false);
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
    /// Handles one message; whatever goes wrong, the loop goes on and the message counts as finished exactly once. Once
    /// the durable storage has failed nothing can commit, so a message is not handled: its ask gets the failure (it
    /// is in the commit log, and is delivered again after a restart).
    /// </summary>
    private async ValueTask ProcessSafelyAsync(Envelope envelope)
    {
        if (_runtime.Committer?.Failure is { } failure)
        {
            envelope.Reply?.TrySetException(GroupCommitter.Refusal(failure));
            return;
        }

        try
        {
            await ProcessAsync(envelope).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogProcessingFailed(_runtime.Logger, exception, envelope.Target, envelope.Message.GetType().FullName);
            envelope.Reply?.TrySetException(exception);
        }
    }

    private async ValueTask ProcessAsync(Envelope envelope)
    {
        Activation activation;
        try
        {
            activation = await ActivateAsync(envelope.Target).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // State that cannot be loaded must not be overwritten: the message goes to the dead letters untouched.
            _runtime.DeadLetter(envelope, exception, attempts: 0);
            return;
        }

        var expiry = activation.Type.Expiry;
        if (expiry.Any && expiry.Expire(activation.Committed, _runtime.TimeProvider.GetUtcNow()))
        {
            activation.Restore();
        }

        var written = await InvokeWithRetriesAsync(activation, envelope).ConfigureAwait(false);
        if (written is not null)
        {
            var changed = written.Changed;
            if (expiry.Any)
            {
                expiry.Stamp(ref changed, _runtime.TimeProvider.GetUtcNow());
            }

            // Only now, with the handler done and its state captured, do its state and effects become real:
            // at once in memory, or once the group commit holding them is durable. A commit that is refused (the
            // storage failed) leaves the warm state as it was.
            HandledUnit? unit = null;
            if (_runtime.Committer is { } committer)
            {
                unit = new HandledUnit(envelope, changed, _context.Effects);
                committer.Submit(unit);
            }

            var sizeBefore = activation.Size;
            activation.Commit(changed);
            _cachedBytes += activation.Size - sizeBefore;
            if (unit is not null)
            {
                activation.LastUnit = unit;
            }
            else
            {
                _runtime.Release(envelope, _context.Effects);
            }
        }

        await EvictAsync(keep: activation).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the handler and captures the state it leaves, retrying with backoff on failure; returns the shard's writer
    /// holding the changed members, or null when the message was dead-lettered. A failed attempt leaves the function
    /// at its committed state.
    /// </summary>
    private async ValueTask<StateWriter?> InvokeWithRetriesAsync(Activation activation, Envelope envelope)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Both null/0 unless someone listens: then a span per attempt (current while the handler runs, so spans
            // and log records of the user's code belong to it) and the attempt's duration.
            var activity = RuntimeTracing.Source.HasListeners() ? RuntimeTracing.StartHandle(activation.Type, envelope, attempt) : null;
            var started = RuntimeMetrics.HandlerStarting();

            // A durable commit releases the effects later, so each message then gets its own buffers.
            _context.Begin(envelope, fresh: _runtime.Committer is not null, activity);
            try
            {
                var pending = activation.Function.DispatchAsync(_context, envelope.Message);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending.ConfigureAwait(false);
                }

                _writer.Begin(activation.Committed);
                activation.Function.WriteState(_writer);
                if (_runtime.Committer is not null)
                {
                    CheckStorable(activation, _writer.Changed);
                }

                _runtime.Committer?.Codec.Prepare(_context.Effects, keepReply: envelope.Idempotency is not null);
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception: null);
                activity?.Stop();
                return _writer;
            }
            catch (Exception exception)
            {
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception);
                activation.Restore();
                LogHandlerFailed(_runtime.Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempt, _runtime.Options.MaxAttempts);
                var deadLetter = attempt >= _runtime.Options.MaxAttempts;
                if (activity is not null)
                {
                    RuntimeTracing.StopHandle(activity, exception, deadLetter);
                }

                if (deadLetter)
                {
                    _runtime.DeadLetter(envelope, exception, attempt);
                    return null;
                }

                var backoff = _runtime.Options.RetryBackoff(attempt);
                if (backoff > TimeSpan.Zero)
                {
                    await Task.Delay(backoff, _runtime.TimeProvider).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Fails the handler when the state it leaves is larger than the checkpoint store holds for one instance: refused
    /// here, before it is logged, the message is retried and dead-lettered with the reason, and the state stays as it was.
    /// </summary>
    private static void CheckStorable(Activation activation, Dictionary<string, byte[]>? changed)
    {
        if (changed is null)
        {
            return;
        }

        long grown = 0;
        foreach (var (_, bytes) in changed)
        {
            grown += bytes.Length;
        }

        if (activation.Size + grown <= LiteDbStateStore.MaxStateBytes)
        {
            return; // the common case: an upper bound is enough
        }

        long size = 0;
        foreach (var (name, bytes) in activation.Committed)
        {
            size += changed.ContainsKey(name) ? 0 : bytes.Length;
        }

        foreach (var (_, bytes) in changed)
        {
            size += bytes.Length;
        }

        if (size > LiteDbStateStore.MaxStateBytes)
        {
            throw new InvalidOperationException(
                $"The state of {activation.Address} would be {size:N0} bytes after this message; the checkpoint store holds at most {LiteDbStateStore.MaxStateBytes:N0} bytes per instance. Keep large values elsewhere, or split the state over several instances.");
        }
    }

    private async ValueTask<Activation> ActivateAsync(Address address)
    {
        if (_activations.TryGetValue(address, out var warm))
        {
            _lru.Remove(warm.LruNode!);
            _lru.AddLast(warm.LruNode!);
            RuntimeMetrics.CacheHit(warm.Type);
            return warm;
        }

        var type = _runtime.GetFunctionType(address.Type);
        RuntimeMetrics.CacheMiss(type);
        var stored = await _runtime.Store.LoadAsync(address, CancellationToken.None).ConfigureAwait(false);
        var state = new Dictionary<string, byte[]>(type.InitialState, StringComparer.Ordinal);
        if (stored is not null)
        {
            foreach (var (name, bytes) in stored)
            {
                state[name] = bytes;
            }
        }

        var function = _pool.TryGetValue(type, out var pooled) && pooled.TryPop(out var reused) ? reused : type.Descriptor.Factory();
        var activation = new Activation(address, type, function, state);
        activation.Restore();
        activation.LruNode = _lru.AddLast(activation);
        _activations.Add(address, activation);
        _cachedBytes += activation.Size;
        return activation;
    }

    /// <summary>
    /// In durable mode, after a group commit: instances that could not be swapped out while their latest change was
    /// not durable can be now.
    /// </summary>
    public void EvictIfOverBound()
    {
        if (Volatile.Read(ref _overBound))
        {
            Volatile.Write(ref _overBound, false);
            _ = _queue.Writer.TryWrite(new ShardCommand(shard => shard.EvictAsync(keep: null))); // a stopped shard needs none
        }
    }

    /// <summary>Swaps out least recently used instances until the shard is within its share of the cache bound.</summary>
    private async ValueTask EvictAsync(Activation? keep)
    {
        if (_cachedBytes <= _cacheBytes)
        {
            return;
        }

        var victims = new List<Activation>();
        var node = _lru.First;
        while (node is not null && _cachedBytes > _cacheBytes)
        {
            var next = node.Next;
            if (node.Value != keep && node.Value.LastUnit is not { Committed: false })
            {
                victims.Add(node.Value);
                _cachedBytes -= node.Value.Size;
            }

            node = next;
        }

        // Whatever is left over the bound waits for its commit (see EvictIfOverBound).
        Volatile.Write(ref _overBound, _cachedBytes > _cacheBytes);
        try
        {
            await SwapOutAsync(victims.Where(v => v.Dirty).ToList(), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was swapped out: the victims stay warm and count against the bound again.
            foreach (var victim in victims)
            {
                _cachedBytes += victim.Size;
            }

            Volatile.Write(ref _overBound, _cachedBytes > _cacheBytes);
            throw;
        }

        foreach (var victim in victims)
        {
            RuntimeMetrics.CacheEviction(victim.Type);
            _lru.Remove(victim.LruNode!);
            _activations.Remove(victim.Address);
            if (!_pool.TryGetValue(victim.Type, out var stack))
            {
                stack = new Stack<IStatefulFunction>();
                _pool.Add(victim.Type, stack);
            }

            if (stack.Count < MaxPooledPerType)
            {
                stack.Push(victim.Function);
            }
        }
    }

    private async ValueTask SwapOutAsync(List<Activation> dirty, CancellationToken cancellationToken)
    {
        if (dirty.Count == 0)
        {
            return;
        }

        var changes = dirty.ConvertAll(a => new StateChange(a.Address, a.Committed));
        await _runtime.Store.SaveAsync(changes, cancellationToken).ConfigureAwait(false);
        foreach (var activation in dirty)
        {
            activation.Dirty = false;
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Message {MessageType} to {Address} could not be processed; the shard goes on with the next message")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Address address, string? messageType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Shard {Shard} could not swap out instances over the cache bound; they stay in memory and are tried again")]
    private static partial void LogSwapOutFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Handler of {Address} failed on {MessageType} (attempt {Attempt} of {MaxAttempts}); its state changes and effects are discarded")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Address address, string? messageType, int attempt, int maxAttempts);
}

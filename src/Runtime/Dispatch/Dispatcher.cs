using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Durability;
using StatefulFunctions.Generation;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// Handles one message on its shard's loop: activates the instance from the warm-state cache, runs the handler with
/// retries and backoff, captures the state it leaves, and hands state and effects on, released at once (in memory) or
/// submitted to the group commit (durable). A handler that fails on every attempt dead-letters its message.
/// </summary>
internal sealed partial class Dispatcher(StatefulFunctionsRuntime runtime, ActivationCache cache)
{
    private readonly InvocationContext _context = new(runtime);
    private readonly StateWriter _writer = new();

    /// <summary>
    /// Handles one message; whatever goes wrong, the loop goes on and the message counts as finished exactly once. Once
    /// the durable storage has failed nothing can commit, so a message is not handled: its ask gets the failure (it
    /// is in the commit log, and is delivered again after a restart).
    /// </summary>
    public async ValueTask ProcessSafelyAsync(Envelope envelope)
    {
        if (runtime.Committer?.Failure is { } failure)
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
            LogProcessingFailed(runtime.Logger, exception, envelope.Target, envelope.Message.GetType().FullName);
            envelope.Reply?.TrySetException(exception);
        }
    }

    private async ValueTask ProcessAsync(Envelope envelope)
    {
        Activation activation;
        try
        {
            activation = await cache.ActivateAsync(envelope.Target).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // State that cannot be loaded must not be overwritten: the message goes to the dead letters untouched.
            runtime.DeadLetter(envelope, exception, attempts: 0);
            return;
        }

        var expiry = activation.Type.Expiry;
        if (expiry.Any && expiry.Expire(activation.Committed, runtime.TimeProvider.GetUtcNow()))
        {
            activation.Restore();
        }

        var written = await InvokeWithRetriesAsync(activation, envelope).ConfigureAwait(false);
        if (written is not null)
        {
            var changed = written.Changed;
            if (expiry.Any)
            {
                expiry.Stamp(ref changed, runtime.TimeProvider.GetUtcNow());
            }

            // Only now, with the handler done and its state captured, do its state and effects become real:
            // at once in memory, or once the group commit holding them is durable. A commit that is refused (the
            // storage failed) leaves the warm state as it was.
            HandledUnit? unit = null;
            if (runtime.Committer is { } committer)
            {
                unit = new HandledUnit(envelope, changed, _context.Effects);
                committer.Submit(unit);
            }

            var sizeBefore = activation.Size;
            activation.Commit(changed);
            cache.Resized(activation.Size - sizeBefore);
            if (unit is not null)
            {
                activation.LastUnit = unit;
            }
            else
            {
                runtime.Release(envelope, _context.Effects);
            }
        }

        await cache.EvictAsync(keep: activation).ConfigureAwait(false);
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
            _context.Begin(envelope, fresh: runtime.Committer is not null, activity);
            try
            {
                var pending = activation.Function.DispatchAsync(_context, envelope.Message);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending.ConfigureAwait(false);
                }

                _writer.Begin(activation.Committed);
                activation.Function.WriteState(_writer);
                if (runtime.Committer is not null)
                {
                    CheckStorable(activation, _writer.Changed);
                }

                runtime.Committer?.Codec.Prepare(_context.Effects, keepReply: envelope.Idempotency is not null);
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception: null);
                activity?.Stop();
                return _writer;
            }
            catch (Exception exception)
            {
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception);
                activation.Restore();
                LogHandlerFailed(runtime.Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempt, runtime.Options.MaxAttempts);
                var deadLetter = attempt >= runtime.Options.MaxAttempts;
                if (activity is not null)
                {
                    RuntimeTracing.StopHandle(activity, exception, deadLetter);
                }

                if (deadLetter)
                {
                    runtime.DeadLetter(envelope, exception, attempt);
                    return null;
                }

                var backoff = runtime.Options.RetryBackoff(attempt);
                if (backoff > TimeSpan.Zero)
                {
                    await Task.Delay(backoff, runtime.TimeProvider).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Message {MessageType} to {Address} could not be processed; the shard goes on with the next message")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Address address, string? messageType);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Handler of {Address} failed on {MessageType} (attempt {Attempt} of {MaxAttempts}); its state changes and effects are discarded")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Address address, string? messageType, int attempt, int maxAttempts);
}

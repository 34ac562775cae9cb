using Microsoft.Extensions.Logging;
using StatefulFunctions.Diagnostics;
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
        if (runtime.Commit.Refusal is { } refusal)
        {
            envelope.Reply?.TrySetException(refusal);
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

        // The answer to an ask of this instance counts only while the ask's timeout is pending: once that has fired
        // (or an earlier answer cancelled it) the asker has had its one reply, and this one is dropped.
        var isAnswer = envelope.AnswersAsk is { } ask && envelope.Token != ask;
        if (isAnswer && !runtime.Delayed.IsPending(envelope.Target, envelope.AnswersAsk!))
        {
            Drop(envelope, activation);
            return;
        }

        var written = await InvokeWithRetriesAsync(activation, envelope).ConfigureAwait(false);
        if (written is not null && isAnswer && !runtime.Delayed.TryCancel(envelope.Target, envelope.AnswersAsk!))
        {
            // The timeout fired while the answer was being handled: the asker gets the timeout, not both.
            activation.Restore();
            Drop(envelope, activation);
            written = null;
        }
        else if (written is not null && isAnswer)
        {
            // The timeout is cancelled now, in memory; the commit consumes its stored message.
            _context.Effects.Delayed.Add(DelayedEffect.Cancel(envelope.AnswersAsk!));
        }

        if (written is not null)
        {
            var changed = written.Changed;
            if (expiry.Any)
            {
                expiry.Stamp(ref changed, runtime.TimeProvider.GetUtcNow());
            }

            // Only now, with the handler done and its state captured, do its state and effects become real:
            // at once in memory, or once the group commit holding them is durable.
            var sizeBefore = activation.Size;
            runtime.Commit.Handled(envelope, activation, changed, _context.Effects);
            cache.Resized(activation.Size - sizeBefore);
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
            _context.Begin(envelope, fresh: runtime.Commit.ReleasesLater, activity);
            try
            {
                var pending = activation.Function.DispatchAsync(_context, envelope.Message);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending.ConfigureAwait(false);
                }

                _context.End();

                // Unless the commit releases later (and keeps the changed state until then), the writer's dictionary is reused.
                _writer.Begin(activation.Committed, reuse: !runtime.Commit.ReleasesLater);
                activation.Function.WriteState(_writer);
                runtime.Commit.Prepare(activation, _writer.Changed, _context.Effects, keepReply: envelope.Idempotency is not null);
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception: null);
                activity?.Stop();
                return _writer;
            }
            catch (Exception exception)
            {
                RuntimeMetrics.HandlerAttempted(activation.Type, started, exception);
                activation.Restore();
                // A rejected message is refused for good: retrying cannot change the answer.
                var rejected = exception is MessageRejectedException;
                if (rejected)
                {
                    LogRejected(runtime.Logger, envelope.Target, envelope.Message.GetType().FullName, exception.Message);
                }
                else
                {
                    LogHandlerFailed(runtime.Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempt, runtime.Options.MaxAttempts);
                }

                var deadLetter = rejected || attempt >= runtime.Options.MaxAttempts;
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

    /// <summary>Consumes a message without handling it: nothing changes and nothing is sent.</summary>
    private void Drop(Envelope envelope, Activation activation)
    {
        _context.Begin(envelope, fresh: runtime.Commit.ReleasesLater);
        runtime.Commit.Handled(envelope, activation, changedState: null, _context.Effects);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Message {MessageType} to {Address} could not be processed; the shard goes on with the next message")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Address address, string? messageType);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Handler of {Address} rejected {MessageType}: {Reason}; it is dead-lettered without a retry, its state changes and effects are discarded")]
    private static partial void LogRejected(ILogger logger, Address address, string? messageType, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Handler of {Address} failed on {MessageType} (attempt {Attempt} of {MaxAttempts}); its state changes and effects are discarded")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Address address, string? messageType, int attempt, int maxAttempts);
}

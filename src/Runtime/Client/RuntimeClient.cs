using System.Diagnostics;
using System.Runtime.CompilerServices;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="IStatefulFunctionsClient"/> of a runtime.</summary>
internal sealed class RuntimeClient(StatefulFunctionsRuntime runtime) : IStatefulFunctionsClient
{
    public ValueTask SendAsync(Address target, object message, CancellationToken cancellationToken = default) =>
        RuntimeTracing.Source.HasListeners()
            ? TracedSendAsync(target, message, cancellationToken)
            : runtime.SendAsync(target, message, caller: null, reply: null, cancellationToken);

    public async Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // The producer span lasts until the answer arrives; it is current while the message is sent, so the message
        // carries its context.
        using var activity = RuntimeTracing.Source.HasListeners() ? StartSend(target, message, ask: true) : null;
        try
        {
            var reply = runtime.NewWaiter();
            object? answer;
            try
            {
                await runtime.SendAsync(target, message, caller: null, reply, cancellationToken).ConfigureAwait(false);
                answer = await runtime.Commit.UnlessFailsAsync(reply.Task).WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException exception)
            {
                throw new AskTimeoutException($"No reply from {target} to {message.GetType().FullName} within {timeout}.", exception);
            }
            finally
            {
                // A reply the handler deferred found this ask through its waiter number: once the wait is over, nobody waits.
                runtime.ForgetWaiter(reply);
            }

            return ReplyAs<TReply>(target, answer);
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    public async ValueTask SendAsync(Address target, object message, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var activity = RuntimeTracing.Source.HasListeners() ? StartSend(target, message, ask: false) : null;
        try
        {
            await runtime.SendAsync(target, message, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    public async Task<TReply> AskAsync<TReply>(Address target, object message, TimeSpan timeout, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var activity = RuntimeTracing.Source.HasListeners() ? StartSend(target, message, ask: true) : null;
        try
        {
            // The original ask and every retry wait on the same dedup record, which gets the outcome once the message is
            // handled (or already has it): the same reply, or the same failure, for all of them.
            var entry = await runtime.SendAsync(target, message, idempotencyKey, cancellationToken).ConfigureAwait(false);
            try
            {
                await runtime.Commit.UnlessFailsAsync(entry.WhenHandledAsync()).WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException exception)
            {
                throw new AskTimeoutException($"No reply from {target} to {message.GetType().FullName} (idempotency key '{idempotencyKey}') within {timeout}.", exception);
            }

            return ReplyAs<TReply>(target, entry.GetReply(runtime.Codec));
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    /// <summary>The reply as the asker typed it; a null reply is the <c>null</c> of a reply type that has one.</summary>
    private static TReply ReplyAs<TReply>(Address target, object? answer) =>
        answer is TReply typed
            ? typed
            : answer is null && default(TReply) is null
                ? default!
                : throw new InvalidCastException($"{target} replied with {answer?.GetType().FullName ?? "null"}, not the {typeof(TReply).FullName} that AskAsync expected.");

    /// <summary>
    /// <see cref="SendAsync(Address, object, CancellationToken)"/> with a producer span. Async so that the span is <see cref="Activity.Current"/> only in
    /// here, never in the caller after this returns.
    /// </summary>
    private async ValueTask TracedSendAsync(Address target, object message, CancellationToken cancellationToken)
    {
        using var activity = StartSend(target, message, ask: false);
        try
        {
            await runtime.SendAsync(target, message, caller: null, reply: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    /// <summary>Starts the producer span of a send or ask; for an address no function type has, none (the send fails).</summary>
    private Activity? StartSend(Address target, object message, bool ask)
    {
        if (message is null || !runtime.Model.Functions.TryGetValue(target.Type, out var type))
        {
            return null;
        }

        return RuntimeTracing.StartSend(ask ? type.AskSpanName : type.SendSpanName, type, target, message);
    }

    public ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(@event);
        if (!runtime.Model.Ingresses.TryGetValue(ingress.Name, out var registration) || registration.EventType != typeof(T))
        {
            throw new InvalidOperationException($"Ingress '{ingress.Name}' of {typeof(T).FullName} is not declared: add a router for it with module.AddRouter(...).");
        }

        return registration.RouteAsync(runtime, @event, idempotencyKey: null, cancellationToken);
    }

    public ValueTask IngestAsync<T>(IngressId<T> ingress, T @event, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(@event);
        IdempotencyKeys.Validate(idempotencyKey);
        if (!runtime.Model.Ingresses.TryGetValue(ingress.Name, out var registration) || registration.EventType != typeof(T))
        {
            throw new InvalidOperationException($"Ingress '{ingress.Name}' of {typeof(T).FullName} is not declared: add a router for it with module.AddRouter(...).");
        }

        return registration.RouteAsync(runtime, @event, idempotencyKey, cancellationToken);
    }

    public async IAsyncEnumerable<T> ReadEgressAsync<T>(EgressId<T> egress, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A record is acknowledged once the consumer asks for the next one (it is done with it), in batches.
        var done = new List<long>();
        void AcknowledgeDone()
        {
            if (done.Count > 0)
            {
                _ = runtime.AcknowledgeEgressAsync(done);
                done = new List<long>();
            }
        }

        await foreach (var record in runtime.Egress.ReadAsync(egress, AcknowledgeDone, cancellationToken).ConfigureAwait(false))
        {
            yield return record.Value;
            done.Add(record.Id);
            if (done.Count >= 1_000)
            {
                AcknowledgeDone();
            }
        }
    }

    public async ValueTask<IReadOnlyList<T>> ReadEgressBatchAsync<T>(EgressId<T> egress, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        runtime.Egress.CheckDeclared(egress.Name, typeof(T));
        var reader = runtime.Egress.ReaderOf(egress.Name);
        var records = new List<T>();
        var ids = new List<long>();
        Take();
        if (records.Count == 0 && wait > TimeSpan.Zero)
        {
            // Wall-clock time, not the runtime's TimeProvider: a test's manual clock would make the wait endless.
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            waiting.CancelAfter(wait);
            try
            {
                if (await reader.WaitToReadAsync(waiting.Token).ConfigureAwait(false))
                {
                    Take();
                }
            }
            catch (OperationCanceledException) when (waiting.IsCancellationRequested)
            {
                // The wait is over: none came.
            }
        }

        await runtime.AcknowledgeEgressAsync(ids).ConfigureAwait(false);
        return records;

        void Take()
        {
            while (records.Count < maxRecords && reader.TryRead(out var item))
            {
                records.Add((T)item.Record);
                ids.Add(item.Id);
            }
        }
    }

    public IAsyncEnumerable<EgressRecord<T>> ReadEgressRecordsAsync<T>(EgressId<T> egress, CancellationToken cancellationToken = default) =>
        runtime.Egress.ReadAsync(egress, onCaughtUp: null, cancellationToken);

    public ValueTask AcknowledgeEgressAsync<T>(EgressId<T> egress, long recordId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(egress);
        return new ValueTask(runtime.AcknowledgeEgressAsync([recordId]).WaitAsync(cancellationToken));
    }

    public IReadOnlyList<DeadLetter> GetDeadLetters() => runtime.GetDeadLetters();

    public ValueTask RedriveDeadLetterAsync(long deadLetterId, CancellationToken cancellationToken = default) =>
        new(runtime.RedriveDeadLetterAsync(deadLetterId).WaitAsync(cancellationToken));
}

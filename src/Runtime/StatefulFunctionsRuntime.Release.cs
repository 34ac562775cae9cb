using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Releasing the effects of handled messages: sends, delayed messages, egress and replies.
public sealed partial class StatefulFunctionsRuntime : IEffectSink
{
    void IEffectSink.Enqueue(Envelope message) => Enqueue(message);

    void IEffectSink.Ingested(Envelope message) => Ingested(message);

    void IEffectSink.Release(Envelope message, Effects effects, IReadOnlyList<long>? egressIds) => Release(message, effects, egressIds);

    void IEffectSink.AddDeadLetter(Envelope message, string exceptionText, int attempts, DateTimeOffset failedAt, Exception? exception) =>
        AddDeadLetter(message, exceptionText, attempts, failedAt, exception);

    /// <summary>After a group commit: let shards swap out instances that have just become durable.</summary>
    internal void CommitReleased()
    {
        foreach (var shard in _shards)
        {
            shard.EvictIfOverBound();
        }
    }

    /// <summary>
    /// Releases the effects of a handler that returned: they escape only now (in durable mode, once committed;
    /// then the delayed messages carry their ids and due times, and egress records their ids).
    /// </summary>
    internal void Release(Envelope envelope, Effects effects, IReadOnlyList<long>? egressIds = null)
    {
        if (RuntimeMetrics.SentEnabled)
        {
            foreach (var send in effects.Sends)
            {
                RuntimeMetrics.MessageSent(TagOf(send.Target.Type));
            }

            foreach (var delayed in effects.Delayed)
            {
                if (!delayed.IsCancellation)
                {
                    RuntimeMetrics.MessageSent(TagOf(delayed.Envelope.Target.Type));
                }
            }
        }

        if (RuntimeMetrics.EgressEnabled)
        {
            foreach (var (egress, _) in effects.Egress)
            {
                RuntimeMetrics.EgressRecordEmitted(Egress.TagOf(egress));
            }
        }

        // In call order: a cancellation cancels what was scheduled before it, in this call or an earlier one. Before
        // the sends: the timeout of an ask must be pending before the ask can be answered.
        foreach (var delayed in effects.Delayed)
        {
            if (delayed.IsCancellation)
            {
                _delayed.Cancel(envelope.Target, delayed.Token);
            }
            else
            {
                _delayed.ScheduleAt(envelope.Target, delayed.Token, delayed.Envelope.Due ?? TimeProvider.GetUtcNow() + delayed.Delay, delayed.Envelope);
            }
        }

        foreach (var send in effects.Sends)
        {
            Enqueue(send);
        }

        for (var i = 0; i < effects.Egress.Count; i++)
        {
            Egress.Publish(effects.Egress[i].Egress, effects.Egress[i].Record, egressIds?[i] ?? 0);
        }

        foreach (var answer in effects.Answers)
        {
            Release(answer);
        }

        // A reply taken to answer later (or passed on) is not this call's to give: the ask keeps waiting for it.
        if (effects.ReplyDeferred)
        {
            return;
        }

        // A message sent with an idempotency key keeps its outcome for retried asks (whether or not it was asked).
        envelope.Idempotency?.SetOutcome(effects.HasReply ? ReplyOutcome.Replied : ReplyOutcome.NoReply, effects.Reply);

        if (envelope.Reply is { } reply)
        {
            if (effects.HasReply)
            {
                reply.TrySetResult(effects.Reply);
            }
            else
            {
                reply.TrySetException(NoReplyException(envelope));
            }
        }
    }

    /// <summary>A consumer is done with egress records; durable once the returned task completes.</summary>
    internal Task AcknowledgeEgressAsync(IReadOnlyList<long> recordIds)
    {
        if (recordIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var unit = new AcknowledgeUnit(recordIds);
        Commit.Submit(unit);
        return unit.Done;
    }

    private void DeliverDelayed(Envelope envelope)
    {
        // Runs on a timer callback: an exception here would end the process. In memory, a delayed message that
        // comes due while the runtime stops is lost with the rest of its in-memory state.
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            Enqueue(envelope);
        }
        catch (InvalidOperationException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}

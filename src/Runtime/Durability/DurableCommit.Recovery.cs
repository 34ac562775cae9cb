using Microsoft.Extensions.Logging;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

// Recovery's second half: what the durable state holds is turned back into live messages, dedup records, egress
// records and dead letters.
internal sealed partial class DurableCommit
{
    /// <summary>The recovered messages and dead letters as the runtime handles them, linked to their restored dedup records.</summary>
    private sealed record Redelivery(List<Envelope> Messages, List<LoggedEgress> Outbox, List<(Envelope Message, LoggedDeadLetter Stored)> DeadLetters);

    /// <summary>
    /// Restores the dedup records and decodes the pending messages and dead letters (a message that cannot be read
    /// fails the start, naming it, before anything is delivered).
    /// </summary>
    private Redelivery Restore(RecoveredState recovered)
    {
        var codec = runtime.Codec;
        var typeNames = new TypeNameCache();
        foreach (var key in recovered.IdempotencyKeys)
        {
            var entry = IdempotencyEntry.FromStored(key, new Address(typeNames.Parse(key.TargetType), key.TargetId));
            if (recovered.IdempotencyKeysFindable && entry.Outcome != ReplyOutcome.Pending)
            {
                entry.MarkStoredFrom(recovered.Lsn); // in the checkpoint, or in the log the next one covers
            }

            runtime.Idempotency.Load(entry);
        }

        var messages = recovered.Inbox.ConvertAll(m => Link(codec.Decode(m), m));
        var deadLetters = recovered.DeadLetters.ConvertAll(d => (Link(codec.Decode(d.Message), d.Message), d));
        return new Redelivery(messages, recovered.Outbox, deadLetters);

        // A recovered message sent with a key that is still remembered gets its outcome recorded when it is handled.
        Envelope Link(Envelope envelope, LoggedMessage stored)
        {
            if (stored.IdempotencyKey is { } key)
            {
                envelope.Idempotency = runtime.Idempotency.Find(envelope.Target, key, stored.IdempotencyExpiresUnixMs);
            }

            return envelope;
        }
    }

    /// <summary>Delivers every pending message again (or schedules it, when not yet due), publishes the outbox and restores the dead letters.</summary>
    private void Redeliver(Redelivery redelivery, DateTimeOffset now)
    {
        // Timers first: the answer to an ask must find the ask's timeout pending.
        foreach (var message in redelivery.Messages)
        {
            if (message.Due is { } due && due > now)
            {
                runtime.Delayed.ScheduleAt(message.Caller, message.Token, due, message);
            }
        }

        foreach (var message in redelivery.Messages)
        {
            if (message.Due is not { } due || due <= now)
            {
                runtime.Enqueue(message);
            }
        }

        foreach (var record in redelivery.Outbox)
        {
            runtime.Egress.Publish(TypeName.Parse(record.Egress), runtime.Codec.Deserialize(record.RecordType, record.Payload, $"Egress record {record.Id}"), record.Id);
        }

        foreach (var (message, stored) in redelivery.DeadLetters)
        {
            runtime.AddDeadLetter(message, stored.Exception, stored.Attempts, stored.FailedAt, exception: null);
        }
    }

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Recovered {Records} log record(s) after the checkpoint and {Pending} pending message(s) from {Path}")]
    private static partial void LogRecovered(ILogger logger, long records, int pending, string path);
}

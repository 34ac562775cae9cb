using MemoryPack;
using StatefulFunctions.Durability;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage;
using StatefulFunctions.Storage.Log;

namespace StatefulFunctions;

// Recovery at start: the last checkpoint, then the commit log after it.
public sealed partial class StatefulFunctionsRuntime
{
    /// <summary>What recovery found: where ids and the log continue, and what is to be delivered and published again.</summary>
    internal sealed record Recovered(
        long NextMessageId, long NextEgressId, long CheckpointLsn, long LastLsn, List<Envelope> Messages, List<LoggedEgress> Egress, List<(Envelope Message, LoggedDeadLetter Stored)> DeadLetters, string Path)
    {
        public IEnumerable<Envelope> PendingTimers => Messages.Where(m => m.Due is not null);
    }

    /// <summary>Rebuilds the durable view from the last checkpoint and the log after it.</summary>
    internal Recovered Recover(LiteDbStateStore checkpoints, DurableView view, CommitLog log)
    {
        var codec = Codec;
        var nowUnixMs = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var checkpoint = checkpoints.ReadCheckpoint(nowUnixMs);

        var pending = checkpoint.Pending.ToDictionary(m => m.Id);
        var egress = checkpoint.Egress.ToDictionary(e => e.Id);
        var deadLetters = checkpoint.DeadLetters.ToDictionary(d => d.Message.Id);
        var keys = checkpoint.IdempotencyKeys.ToDictionary(k => k.RecordKey);
        var nextMessageId = checkpoint.NextMessageId;
        var nextEgressId = checkpoint.NextEgressId;
        var lastLsn = checkpoint.Lsn;
        foreach (var entry in log.ReadFrom(checkpoint.Lsn + 1))
        {
            CommitRecord record;
            try
            {
                record = MemoryPackSerializer.Deserialize<CommitRecord>(entry.Payload.Span) ?? throw new InvalidDataException("empty record");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Record {entry.Lsn} of the commit log '{checkpoints.Path}.log' cannot be read: {exception.Message}", exception);
            }

            view.Apply(record);
            foreach (var added in record.Added)
            {
                pending[added.Id] = added;
                nextMessageId = Math.Max(nextMessageId, added.Id);
            }

            record.Consumed.ForEach(id => pending.Remove(id));
            foreach (var published in record.Egress)
            {
                egress[published.Id] = published;
                nextEgressId = Math.Max(nextEgressId, published.Id);
            }

            record.EgressAcknowledged.ForEach(id => egress.Remove(id));
            record.DeadLetters.ForEach(d => deadLetters[d.Message.Id] = d);
            record.DeadLettersRemoved.ForEach(id => deadLetters.Remove(id));
            record.IdempotencyKeys?.ForEach(k => keys[k.RecordKey] = k);
            foreach (var reply in record.Replies ?? [])
            {
                if (keys.TryGetValue(reply.RecordKey, out var key) && key.ExpiresUnixMs == reply.ExpiresUnixMs)
                {
                    keys[reply.RecordKey] = key.With(reply);
                }
            }

            lastLsn = entry.Lsn;
        }

        var typeNames = new TypeNameCache();
        foreach (var key in keys.Values.Where(k => k.ExpiresUnixMs > nowUnixMs))
        {
            _idempotency.Load(Restore(key, typeNames));
        }

        var messages = pending.Values.OrderBy(m => m.Id).Select(m => Link(codec.Decode(m), m)).ToList();
        var deadLetterMessages = deadLetters.Values.OrderBy(d => d.Message.Id).Select(d => (Link(codec.Decode(d.Message), d.Message), d)).ToList();
        return new Recovered(nextMessageId, nextEgressId, checkpoint.Lsn, lastLsn, messages, egress.Values.OrderBy(e => e.Id).ToList(), deadLetterMessages, checkpoints.Path);

        // A recovered message sent with a key that is still remembered gets its outcome recorded when it is handled.
        Envelope Link(Envelope envelope, LoggedMessage stored)
        {
            if (stored.IdempotencyKey is { } key)
            {
                envelope.Idempotency = _idempotency.Find(envelope.Target, key, stored.IdempotencyExpiresUnixMs);
            }

            return envelope;
        }
    }

    /// <summary>Delivers every recovered pending message again (or schedules it, when not yet due), and publishes the outbox.</summary>
    internal void Redeliver(Recovered recovered)
    {
        var codec = Codec;
        var now = TimeProvider.GetUtcNow();
        var messages = recovered.Messages;
        foreach (var message in messages)
        {
            if (message.Due is { } due && due > now)
            {
                _delayed.ScheduleAt(message.Caller, message.Token, due, message);
            }
            else
            {
                Enqueue(message);
            }
        }

        foreach (var record in recovered.Egress)
        {
            Egress.Publish(TypeName.Parse(record.Egress), codec.Deserialize(record.RecordType, record.Payload, $"Egress record {record.Id}"), record.Id);
        }

        foreach (var (message, stored) in recovered.DeadLetters)
        {
            AddDeadLetter(message, stored.Exception, stored.Attempts, stored.FailedAt, exception: null);
        }

        LogRecovered(Logger, recovered.LastLsn - recovered.CheckpointLsn, messages.Count, recovered.Path);
    }

    /// <summary>A dedup record as read back from the checkpoint and the log: accepted, with its outcome so far.</summary>
    private static IdempotencyEntry Restore(LoggedIdempotencyKey stored, TypeNameCache typeNames)
    {
        var entry = new IdempotencyEntry(
            new Address(typeNames.Parse(stored.TargetType), stored.TargetId), stored.Key, stored.Hash, stored.MessageType, stored.ExpiresUnixMs, Task.CompletedTask);
        var outcome = (ReplyOutcome)stored.Outcome;
        var reply = outcome == ReplyOutcome.Replied && stored.ReplyType is not null ? new StoredForm(stored.ReplyType, stored.Reply ?? []) : (StoredForm?)null;
        entry.SetOutcome(outcome, storedReply: reply, detail: stored.Detail);
        return entry;
    }
}

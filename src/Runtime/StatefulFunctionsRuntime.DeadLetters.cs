using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Dead letters: messages that failed on every attempt, their inspection and redrive.
public sealed partial class StatefulFunctionsRuntime
{
    private readonly List<DeadLetter> _deadLetters = new();
    private long _lastDeadLetterId;

    /// <summary>Moves a message that failed on every attempt to the dead letters (durably, in durable mode).</summary>
    internal void DeadLetter(Envelope envelope, Exception exception, int attempts)
    {
        LogDeadLettered(Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempts);
        RuntimeMetrics.MessageDeadLettered(TagOf(envelope.Target.Type));
        Commit.Submit(new DeadLetterUnit(envelope, exception, attempts, TimeProvider.GetUtcNow()));
    }

    internal void AddDeadLetter(Envelope envelope, string exceptionText, int attempts, DateTimeOffset failedAt, Exception? exception)
    {
        long id;
        lock (_deadLetters)
        {
            // Durable: the message's own id (never reused). In memory: a number of its own.
            id = envelope.Id != 0 ? envelope.Id : ++_lastDeadLetterId;
            _deadLetters.Add(new DeadLetter(envelope.Target, envelope.Caller, envelope.Message, exceptionText, attempts, failedAt) { Id = id, Idempotency = envelope.Idempotency, ReplyTo = envelope.ReplyTo, AnswersAsk = envelope.AnswersAsk });
        }

        var text = DeadLetterText(envelope, attempts, id, exception);
        envelope.Idempotency?.SetOutcome(ReplyOutcome.DeadLettered, detail: text);
        envelope.Reply?.TrySetException(new DeadLetterException(text, exception ?? new InvalidOperationException(exceptionText)));

        // In durable mode the dead letter's commit has answered the ask of a function (and chosen a keyed ask's outcome).
        if (AnswerDeadLettered(envelope, text, exception, committed: Commit.ReleasesLater) is { } answer)
        {
            Enqueue(answer);
        }
    }

    /// <summary>
    /// What an ask of a dead-lettered message is told, with the id to find or re-drive the dead letter by. A rejection's
    /// reason is part of it (the handler gave it for the asker); a failure's exception is not.
    /// </summary>
    internal static string DeadLetterText(Envelope envelope, int attempts, long deadLetterId, Exception? exception) =>
        exception is MessageRejectedException rejected
            ? $"{envelope.Target} rejected {envelope.Message.GetType().FullName}: {rejected.Reason} The message was dead-lettered as dead letter {deadLetterId}, without a retry."
            : $"{envelope.Target} failed to handle {envelope.Message.GetType().FullName} after {attempts} attempt(s); the message was dead-lettered as dead letter {deadLetterId}.";

    /// <summary>Sends a dead letter's message again (removing it from the dead letters in the same commit).</summary>
    internal Task RedriveDeadLetterAsync(long id)
    {
        DeadLetter deadLetter;
        lock (_deadLetters)
        {
            // Taken out at once, so a second re-drive of the same id fails instead of sending the message twice.
            deadLetter = _deadLetters.Find(d => d.Id == id) ?? throw new KeyNotFoundException($"There is no dead letter {id}.");
            _deadLetters.Remove(deadLetter);
        }

        var message = new Envelope(deadLetter.Target, deadLetter.Caller, deadLetter.Message, reply: null)
        {
            TraceParent = RuntimeTracing.CurrentTraceParent(),
            Idempotency = deadLetter.Idempotency,
            ReplyTo = deadLetter.ReplyTo,
            AnswersAsk = deadLetter.AnswersAsk,
        };
        var unit = new RedriveUnit(id, message);
        Commit.Submit(unit);
        return unit.Done;
    }

    internal IReadOnlyList<DeadLetter> GetDeadLetters()
    {
        lock (_deadLetters)
        {
            return _deadLetters.ToList();
        }
    }
}

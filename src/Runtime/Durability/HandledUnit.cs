using StatefulFunctions.Runtime;

namespace StatefulFunctions.Durability;

/// <summary>
/// A message a handler finished: its consumption, the state members it changed and its effects, all in one record.
/// </summary>
internal sealed class HandledUnit(Envelope message, Dictionary<string, byte[]>? changedState, Effects effects) : CommitUnit
{
    private readonly List<long> _egressIds = new();

    public override void AddTo(CommitRecord record, GroupCommitter committer)
    {
        var self = message.Target;
        record.Consumed.Add(message.Id);
        committer.Forget(message);
        if (changedState is not null)
        {
            record.States.Add(new LoggedState(committer.Codec.TypeNameText(self.Type), self.Id, changedState));
        }

        foreach (var send in effects.Sends)
        {
            record.Added.Add(committer.Assign(send));
        }

        foreach (var token in effects.Cancellations)
        {
            if (committer.TakeToken(self, token) is { } cancelled)
            {
                record.Consumed.Add(cancelled);
            }
        }

        foreach (var (delay, delayed, token) in effects.DelayedSends)
        {
            delayed.Due = committer.Now + delay;
            delayed.Token = token;
            if (token is not null && committer.TakeToken(self, token) is { } replaced)
            {
                record.Consumed.Add(replaced);
            }

            record.Added.Add(committer.Assign(delayed));
        }

        for (var i = 0; i < effects.Egress.Count; i++)
        {
            var logged = committer.AssignEgress(effects.Egress[i].Egress, effects.StoredEgress[i]);
            _egressIds.Add(logged.Id);
            record.Egress.Add(logged);
        }

        // A message sent with an idempotency key: its reply goes with its dedup record, for a retried ask.
        if (message.Idempotency is { } entry)
        {
            var (outcome, detail) = !effects.HasReply ? (ReplyOutcome.NoReply, null)
                : effects.Reply is null || effects.StoredReply is not null ? (ReplyOutcome.Replied, null)
                : (ReplyOutcome.ReplyNotKept, effects.Reply.GetType().FullName);
            committer.AddReply(record, entry, outcome, effects.StoredReply, detail);
        }
    }

    public override void Release(StatefulFunctionsRuntime runtime) => runtime.Release(message, effects, _egressIds);

    public override void Fail(Exception refusal) => message.Reply?.TrySetException(refusal);
}

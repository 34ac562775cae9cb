using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

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

        // In call order, as the handler made them. A delayed message this call both scheduled and cancelled (or
        // replaced) is left out of the record; one scheduled before this call is consumed by it.
        var ownFrom = record.Added.Count;
        foreach (var delayed in effects.Delayed)
        {
            if (delayed.Token is { } token && committer.TakeToken(self, token) is { } pending)
            {
                var own = record.Added.FindIndex(ownFrom, m => m.Id == pending);
                if (own >= 0)
                {
                    record.Added.RemoveAt(own);
                }
                else
                {
                    record.Consumed.Add(pending);
                }
            }

            if (!delayed.IsCancellation)
            {
                delayed.Envelope.Due = committer.Now + delayed.Delay;
                delayed.Envelope.Token = delayed.Token;
                record.Added.Add(committer.Assign(delayed.Envelope));
            }
        }

        for (var i = 0; i < effects.Egress.Count; i++)
        {
            var logged = committer.AssignEgress(effects.Egress[i].Egress, effects.StoredEgress[i]);
            _egressIds.Add(logged.Id);
            record.Egress.Add(logged);
        }

        // Keyed asks answered through their route keep their first answer, chosen here in commit order.
        foreach (var answer in effects.Answers)
        {
            if (answer.Route.Kind == ReplyRouteKind.Keyed && committer.Claim(answer.Route) is { } answered)
            {
                answer.Entry = answered;
                var (outcome, detail) = answer.NoReply ? (ReplyOutcome.NoReply, null)
                    : answer.Value is null || answer.Stored is not null ? (ReplyOutcome.Replied, null)
                    : (ReplyOutcome.ReplyNotKept, answer.Value.GetType().FullName);
                committer.AddReply(record, answered, outcome, answer.Stored, detail);
            }
        }

        // A message sent with an idempotency key: its reply goes with its dedup record, for a retried ask (unless the
        // call took the reply to answer later: the answer's record has it then).
        if (message.Idempotency is { } entry && !effects.ReplyDeferred)
        {
            var (outcome, detail) = !effects.HasReply ? (ReplyOutcome.NoReply, null)
                : effects.Reply is null || effects.StoredReply is not null ? (ReplyOutcome.Replied, null)
                : (ReplyOutcome.ReplyNotKept, effects.Reply.GetType().FullName);
            committer.AddReply(record, entry, outcome, effects.StoredReply, detail);
        }
    }

    public override void Release(IEffectSink sink) => sink.Release(message, effects, _egressIds);

    public override void Fail(Exception refusal) => message.Reply?.TrySetException(refusal);
}

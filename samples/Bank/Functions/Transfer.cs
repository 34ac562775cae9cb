namespace Banking.Functions;

/// <summary>
/// One transfer (its id is the transfer id): debits the source, credits the target, credits the source back when the
/// target refuses, and answers its callers when it ends, or when their deadline passes first. Every step is an ask
/// whose answer comes back as a <see cref="Reply{TReply}"/>; the callers' replies wait in state meanwhile.
/// </summary>
[StatefulFunction("bank/transfer")]
public sealed partial class Transfer : IHandle<StartTransfer>, IHandle<Reply<bool>>, IHandle<TransferDeadline>, IHandle<GetTransfer, TransferResult?>
{
    /// <summary>How long a caller waits before it is told the transfer is still running.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A step's answer always comes (messages are not lost), so a step only times out if something is badly wrong.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromDays(1);

    [Persisted] private StartTransfer? _request;
    [Persisted] private TransferResult? _result;
    [Persisted] private List<PendingReply<TransferResult>> _callers = new();

    public void Handle(IContext context, StartTransfer message)
    {
        if (_result is not null)
        {
            context.Reply(_result);
            return;
        }

        _callers.Add(context.DeferReply(message));
        if (_request is null)
        {
            _request = message;
            context.Ask(Account.At(message.From), new Debit(context.Self.Id, message.Amount), correlation: "debit", StepTimeout);
            context.SendAfter(Deadline, context.Self, new TransferDeadline(), cancellationToken: "deadline");
        }
    }

    public void Handle(IContext context, Reply<bool> step)
    {
        var request = _request!;
        var (from, to, id) = (Account.At(request.From), Account.At(request.To), context.Self.Id);
        switch (step.Correlation)
        {
            case "debit" when step.Answered && step.Value:
                context.Ask(to, new Credit(id, request.Amount), correlation: "credit", StepTimeout);
                break;
            case "debit":
                End(context, new TransferResult(TransferOutcome.Refused, step.Failure ?? $"{request.From} cannot pay {request.Amount}."));
                break;
            case "credit" when step.Answered && step.Value:
                End(context, new TransferResult(TransferOutcome.Done, $"{request.Amount} moved from {request.From} to {request.To}."));
                break;
            case "credit" when step.Status == ReplyStatus.TimedOut:
                // The credit may still happen: crediting back now could pay twice. Leave it to an operator.
                _result = new TransferResult(TransferOutcome.StillRunning, $"The credit to {request.To} did not answer: {step.Failure}");
                break;
            case "credit":
                context.Ask(from, new Credit(id + "/refund", request.Amount), correlation: "refund", StepTimeout);
                break;
            case "refund":
                End(context, new TransferResult(TransferOutcome.Refunded, $"{request.To} took no credit; {request.Amount} went back to {request.From}."));
                break;
        }
    }

    /// <summary>The callers learn that it is still running; the transfer goes on, and a later ask gets how it ended.</summary>
    public void Handle(IContext context, TransferDeadline message)
    {
        Answer(context, new TransferResult(TransferOutcome.StillRunning, $"Transfer {context.Self.Id} is still running; ask again for its end."));
    }

    public TransferResult? Handle(IContext context, GetTransfer message) => _result;

    private void End(IContext context, TransferResult result)
    {
        _result = result;
        context.CancelDelayed("deadline");
        Answer(context, result);
    }

    private void Answer(IContext context, TransferResult result)
    {
        foreach (var caller in _callers)
        {
            context.Reply(caller, result);
        }

        _callers.Clear();
    }
}

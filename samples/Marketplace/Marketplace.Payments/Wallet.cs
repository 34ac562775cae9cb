using StatefulFunctions;

namespace Marketplace.Payments;

/// <summary>
/// A customer's wallet (the instance id is the customer id). It answers charges and refunds to whichever function
/// sent them (<see cref="IContext.Caller"/>), so it knows nothing of the modules that use it.
/// </summary>
[StatefulFunction("payments/wallet")]
public sealed partial class Wallet : IHandle<Deposit>, IHandle<Charge>, IHandle<Refund>, IHandle<GetBalance>
{
    [Persisted] private decimal _balance;

    public void Handle(IContext context, Deposit message)
    {
        _balance += message.Amount;
        context.Reply(_balance);
    }

    public void Handle(IContext context, Charge message)
    {
        var sender = Sender(context);
        if (message.Amount > _balance)
        {
            context.Send(sender, new ChargeDeclined(message.OrderId, message.Amount, _balance));
            return;
        }

        _balance -= message.Amount;
        context.Send(sender, new Charged(message.OrderId, message.Amount, _balance));
    }

    public void Handle(IContext context, Refund message)
    {
        _balance += message.Amount;
        context.Send(Sender(context), new Refunded(message.OrderId, message.Amount, _balance));
    }

    public void Handle(IContext context, GetBalance message) => context.Reply(_balance);

    private static Address Sender(IContext context) =>
        context.Caller ?? throw new InvalidOperationException("Charges and refunds must come from a function, which gets the answer.");
}

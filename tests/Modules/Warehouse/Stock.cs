using StatefulFunctions;

namespace Warehouse;

/// <summary>The stock of one item. It does not know the shop's types: it answers to whatever address asked.</summary>
[StatefulFunction("warehouse/stock")]
public sealed partial class Stock : IHandle<Restock>, IHandle<Reserve>
{
    [Persisted] private int _onHand;

    public void Handle(IContext context, Restock message) => _onHand += message.Quantity;

    public void Handle(IContext context, Reserve message)
    {
        var granted = Math.Min(_onHand, message.Quantity);
        _onHand -= granted;
        context.Send(context.Caller ?? throw new InvalidOperationException("Reserve must come from a function."), new Reserved(context.Self.Id, granted, _onHand));
    }
}

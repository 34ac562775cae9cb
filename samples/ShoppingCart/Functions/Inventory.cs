using StatefulFunctions;

namespace ShoppingCart.Functions;

/// <summary>
/// The stock of one item (the instance id is the item id): checkouts reserve units and get them, or are told how
/// many there are; a checkout that could not complete releases what it reserved. It answers whoever asked, so it
/// does not need to know the shopper sessions.
/// </summary>
[StatefulFunction("shop/inventory")]
public sealed partial class Inventory : IHandle<Restock>, IHandle<ReserveItem>, IHandle<ReleaseItem>, IHandle<GetStock>
{
    [Persisted] private int _available;
    [Persisted] private decimal _unitPrice;

    public void Handle(IContext context, Restock message)
    {
        _available += message.Quantity;
        _unitPrice = message.UnitPrice;
    }

    public void Handle(IContext context, ReserveItem message)
    {
        var checkout = context.Caller ?? throw new InvalidOperationException("ReserveItem must come from a function, which gets the answer.");
        if (message.Quantity > _available)
        {
            context.Send(checkout, new ItemUnavailable(message.CheckoutId, context.Self.Id, message.Quantity, _available));
            return;
        }

        _available -= message.Quantity;
        context.Send(checkout, new ItemReserved(message.CheckoutId, context.Self.Id, message.Quantity, _unitPrice));
    }

    public void Handle(IContext context, ReleaseItem message) => _available += message.Quantity;

    public void Handle(IContext context, GetStock message) => context.Reply(_available);
}

using StatefulFunctions;
using Warehouse;

namespace Shop;

/// <summary>An order: reserves stock in the warehouse module (another assembly) and records what it got.</summary>
[StatefulFunction("shop/order")]
public sealed partial class Order : IHandle<PlaceOrder>, IHandle<Reserved>
{
    [Persisted] private int _reserved;
    [Persisted] private string? _item;

    public void Handle(IContext context, PlaceOrder message)
    {
        _item = message.Item;
        context.Send(Stock.At(message.Item), new Reserve(message.Quantity, context.Self.Id));
    }

    public void Handle(IContext context, Reserved message)
    {
        _reserved += message.Quantity;
        context.Emit(ShopModule.Confirmations, $"{context.Self.Id}:{message.Item}:{message.Quantity}");
    }
}

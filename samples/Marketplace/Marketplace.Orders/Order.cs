using Marketplace.Payments;
using StatefulFunctions;

namespace Marketplace.Orders;

/// <summary>
/// One order (the instance id is the order id). It asks the payments module, another assembly, to charge the
/// customer's wallet, and to refund it when a paid order is cancelled; the wallet's answers come back here.
/// </summary>
[StatefulFunction("orders/order")]
public sealed partial class Order : IHandle<PlaceOrder>, IHandle<CancelOrder>, IHandle<Charged>, IHandle<ChargeDeclined>, IHandle<Refunded>
{
    [Persisted] private OrderStatus _status;
    [Persisted] private string _customerId = "";
    [Persisted] private string _item = "";
    [Persisted] private decimal _amount;

    public void Handle(IContext context, PlaceOrder message)
    {
        if (_status != OrderStatus.None)
        {
            return; // an order is placed once
        }

        (_customerId, _item, _amount) = (message.CustomerId, message.Item, message.Amount);
        _status = OrderStatus.AwaitingPayment;

        // A typed send across modules: it only compiles because the payments module's Wallet handles Charge.
        context.Send(Wallet.At(_customerId), new Charge(context.Self.Id, _amount));
    }

    public void Handle(IContext context, CancelOrder message)
    {
        if (_status != OrderStatus.Paid)
        {
            return; // only a paid order has money to give back
        }

        _status = OrderStatus.Refunding;
        context.Send(Wallet.At(_customerId), new Refund(context.Self.Id, _amount));
    }

    public void Handle(IContext context, Charged message) => Update(context, OrderStatus.Paid, message.Balance);

    public void Handle(IContext context, ChargeDeclined message) => Update(context, OrderStatus.Declined, message.Balance);

    public void Handle(IContext context, Refunded message) => Update(context, OrderStatus.Refunded, message.Balance);

    private void Update(IContext context, OrderStatus status, decimal balance)
    {
        _status = status;
        context.Emit(OrdersModule.Updates, new OrderUpdate(context.Self.Id, _customerId, _item, _amount, status, balance));
    }
}

using StatefulFunctions;

namespace ShoppingCart.Functions;

/// <summary>
/// A shopper's session (the instance id is the user id): the cart, which expires when the shopper leaves it alone
/// for 30 minutes, and the checkout, which reserves every item in the cart at its inventory and either emits a
/// receipt or, when anything is out of stock, puts back what it had reserved (all or nothing).
/// </summary>
[StatefulFunction("shop/user-session")]
public sealed partial class UserSession : IHandle<AddToCart>, IHandle<Checkout>, IHandle<ItemReserved>, IHandle<ItemUnavailable>
{
    /// <summary>How long a cart lives after the shopper's last call; also the TTL string of <see cref="_cart"/>.</summary>
    public const string CartTimeToLive = "00:30:00";

    // Item → quantity. Once the session has not been called for the TTL, the member reads as a new session's value
    // (empty) when the next message arrives: the runtime enforces it lazily, nothing scans the store.
    [Persisted(ExpireAfterCall = CartTimeToLive)] private Dictionary<string, int> _cart = new();

    // Does not expire, so that a checkout can tell a cart that expired from one that was never filled.
    [Persisted] private bool _cartInUse;

    [Persisted] private int _checkouts;

    // While a checkout waits for the answers of the inventories:
    [Persisted] private string? _pendingCheckout;
    [Persisted] private int _awaitedAnswers;
    [Persisted] private List<ReceiptLine> _reserved = new();
    [Persisted] private List<string> _unavailable = new();

    public void Handle(IContext context, AddToCart message)
    {
        _cart[message.Item] = _cart.GetValueOrDefault(message.Item) + message.Quantity;
        _cartInUse = true;
    }

    public void Handle(IContext context, Checkout message)
    {
        _checkouts++;
        var checkoutId = $"{context.Self.Id}-{_checkouts}";
        if (_pendingCheckout is not null)
        {
            context.Emit(ShopModule.CheckoutResults, Refused(context, checkoutId, CheckoutStatus.CheckoutInProgress));
            return;
        }

        if (_cart.Count == 0)
        {
            context.Emit(ShopModule.CheckoutResults, Refused(context, checkoutId, _cartInUse ? CheckoutStatus.CartExpired : CheckoutStatus.CartEmpty));
            _cartInUse = false;
            return;
        }

        _pendingCheckout = checkoutId;
        _awaitedAnswers = _cart.Count;
        foreach (var (item, quantity) in _cart)
        {
            context.Send(Inventory.At(item), new ReserveItem(checkoutId, quantity));
        }
    }

    public void Handle(IContext context, ItemReserved message)
    {
        _reserved.Add(new ReceiptLine(message.Item, message.Quantity, message.UnitPrice));
        Answered(context);
    }

    public void Handle(IContext context, ItemUnavailable message)
    {
        _unavailable.Add(message.Item);
        Answered(context);
    }

    /// <summary>Once every inventory has answered: a receipt, or the reserved units put back.</summary>
    private void Answered(IContext context)
    {
        if (--_awaitedAnswers > 0)
        {
            return;
        }

        var checkoutId = _pendingCheckout!;
        if (_unavailable.Count == 0)
        {
            var lines = _reserved.OrderBy(line => line.Item, StringComparer.Ordinal).ToList();
            var total = lines.Sum(line => line.Quantity * line.UnitPrice);
            context.Emit(ShopModule.CheckoutResults, new CheckoutResult(context.Self.Id, checkoutId, CheckoutStatus.Completed, lines, total, []));
            _cart.Clear();
            _cartInUse = false;
        }
        else
        {
            foreach (var line in _reserved)
            {
                context.Send(Inventory.At(line.Item), new ReleaseItem(checkoutId, line.Quantity));
            }

            var unavailable = _unavailable.Order(StringComparer.Ordinal).ToList();
            context.Emit(ShopModule.CheckoutResults, new CheckoutResult(context.Self.Id, checkoutId, CheckoutStatus.OutOfStock, [], 0m, unavailable));
        }

        _pendingCheckout = null;
        _reserved.Clear();
        _unavailable.Clear();
    }

    private static CheckoutResult Refused(IContext context, string checkoutId, CheckoutStatus status) =>
        new(context.Self.Id, checkoutId, status, [], 0m, []);
}

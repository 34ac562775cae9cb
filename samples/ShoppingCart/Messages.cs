using MemoryPack;

namespace ShoppingCart;

// The messages between the functions of the shop. Every message is a MemoryPack record so the runtime can store
// and ship it; an item is named by its id ("book"), which is also the id of its inventory instance.

/// <summary>A shopper puts some units of an item in their cart (routed from the shopper events ingress).</summary>
[MemoryPackable] public sealed partial record AddToCart(string Item, int Quantity);

/// <summary>A shopper checks out their cart (routed from the shopper events ingress).</summary>
[MemoryPackable] public sealed partial record Checkout;

/// <summary>Puts units of an item on the shelf at a price.</summary>
[MemoryPackable] public sealed partial record Restock(int Quantity, decimal UnitPrice);

/// <summary>A checkout takes units of an item off the shelf; the inventory answers the sender.</summary>
/// <param name="CheckoutId">The checkout asking, echoed in the answer.</param>
/// <param name="Quantity">How many units.</param>
[MemoryPackable] public sealed partial record ReserveItem(string CheckoutId, int Quantity);

/// <summary>A checkout that could not complete puts back the units it had reserved.</summary>
[MemoryPackable] public sealed partial record ReleaseItem(string CheckoutId, int Quantity);

/// <summary>Asks an inventory how many units are on the shelf; it replies with an <see cref="int"/>.</summary>
[MemoryPackable] public sealed partial record GetStock;

/// <summary>The answer to <see cref="ReserveItem"/> when the units were on the shelf: they are now the checkout's.</summary>
[MemoryPackable] public sealed partial record ItemReserved(string CheckoutId, string Item, int Quantity, decimal UnitPrice);

/// <summary>The answer to <see cref="ReserveItem"/> when fewer units than asked were on the shelf: nothing was taken.</summary>
[MemoryPackable] public sealed partial record ItemUnavailable(string CheckoutId, string Item, int Requested, int Available);

/// <summary>One line of a receipt.</summary>
[MemoryPackable] public sealed partial record ReceiptLine(string Item, int Quantity, decimal UnitPrice);

/// <summary>
/// What came of a checkout (the egress record): a receipt when <see cref="Status"/> is
/// <see cref="CheckoutStatus.Completed"/>, else why it was refused.
/// </summary>
/// <param name="UserId">The shopper.</param>
/// <param name="CheckoutId">The shopper's id and the number of the checkout, e.g. <c>ada-1</c>.</param>
/// <param name="Status">Completed, or why not.</param>
/// <param name="Lines">What was bought, by item; empty when refused.</param>
/// <param name="Total">The amount paid; zero when refused.</param>
/// <param name="Unavailable">The items there were not enough of, when out of stock.</param>
[MemoryPackable]
public sealed partial record CheckoutResult(
    string UserId,
    string CheckoutId,
    CheckoutStatus Status,
    IReadOnlyList<ReceiptLine> Lines,
    decimal Total,
    IReadOnlyList<string> Unavailable);

using MemoryPack;

namespace Marketplace.Orders;

// The orders module's own messages. The answers it gets from payments (Charged, ChargeDeclined, Refunded) are the
// payments module's types, from the Marketplace.Payments library.

/// <summary>A customer orders an item at a price.</summary>
[MemoryPackable] public sealed partial record PlaceOrder(string CustomerId, string Item, decimal Amount);

/// <summary>The customer cancels a paid order: the money goes back to their wallet.</summary>
[MemoryPackable] public sealed partial record CancelOrder;

/// <summary>What happened to an order, for the outside world (the egress record).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CustomerId">Who ordered.</param>
/// <param name="Item">What was ordered.</param>
/// <param name="Amount">The price.</param>
/// <param name="Status">Where the order is now.</param>
/// <param name="Balance">The customer's wallet balance, as payments reported it.</param>
[MemoryPackable]
public sealed partial record OrderUpdate(string OrderId, string CustomerId, string Item, decimal Amount, OrderStatus Status, decimal Balance);

using StatefulFunctions;

namespace Marketplace.Orders;

/// <summary>
/// The orders team's module: adding it brings the generated registration of the functions of this assembly (the
/// <see cref="Order"/>) and declares the egress of order updates. The application must also add the payments
/// module, whose wallets the orders charge.
/// </summary>
public sealed class OrdersModule : IStatefulFunctionModule
{
    /// <summary>Every change of an order's status, for the outside world.</summary>
    public static readonly EgressId<OrderUpdate> Updates = new("orders/updates");

    public void Configure(IModuleBuilder module) => module.AddEgress(Updates);
}

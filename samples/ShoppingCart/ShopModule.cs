using ShoppingCart.Ingress;
using StatefulFunctions;

namespace ShoppingCart;

/// <summary>
/// The shop module: its functions (user sessions and inventories) come from generated registration; this adds
/// the ingress of shopper events with its router and the egress of checkout results.
/// </summary>
public sealed class ShopModule : IStatefulFunctionModule
{
    /// <summary>What shoppers do in the web shop. It has no source of its own: the program publishes to it.</summary>
    public static readonly IngressId<ShopperEvent> ShopperEvents = new("shop/shopper-events");

    /// <summary>What came of each checkout: receipts and refusals, for the outside world.</summary>
    public static readonly EgressId<CheckoutResult> CheckoutResults = new("shop/checkout-results");

    public void Configure(IModuleBuilder module)
    {
        module.AddRouter(ShopperEvents, new ShopperEventRouter());
        module.AddEgress(CheckoutResults);
    }
}

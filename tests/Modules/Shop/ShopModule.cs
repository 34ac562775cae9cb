using StatefulFunctions;

namespace Shop;

/// <summary>The shop team's module.</summary>
public sealed class ShopModule : IStatefulFunctionModule
{
    /// <summary>Order confirmations, <c>order:item:quantity</c>.</summary>
    public static readonly EgressId<string> Confirmations = new("shop/confirmations");

    public void Configure(IModuleBuilder module) => module.AddEgress(Confirmations);
}

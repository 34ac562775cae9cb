using Shop;
using Warehouse;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>Modules of two assemblies (two teams) compose into one application and message each other.</summary>
public sealed class ModuleCompositionTests
{
    [Fact]
    public async Task Both_assemblies_register_their_functions_through_generated_code()
    {
        await using var app = await Testing.TestApplication.StartAsync(new WarehouseModule(), new ShopModule());
        Assert.Equal(["shop/order", "warehouse/stock"], app.Runtime.FunctionTypes.Select(t => t.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_module_whose_functions_are_missing_gives_a_clear_error()
    {
        // Only the shop: the warehouse's functions were never added.
        await using var app = await Testing.TestApplication.StartAsync(new ShopModule());
        await app.Client.SendAsync(Order.At("o1").Untyped, new PlaceOrder("apple", 1));
        await app.RunUntilIdleAsync();

        var deadLetter = Assert.Single(app.DeadLetters);
        Assert.Contains("No function type 'warehouse/stock' is registered", deadLetter.Exception, StringComparison.Ordinal);
    }
}

using Shop;
using Warehouse;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>Modules of two assemblies (two teams) compose into one application and message each other.</summary>
public sealed class ModuleCompositionTests
{
    [Fact]
    public async Task An_order_in_one_assembly_reserves_stock_in_another_and_gets_the_answer_back()
    {
        await using var app = await Testing.TestApplication.StartAsync(new WarehouseModule(), new ShopModule());
        await app.Client.SendAsync(Stock.At("apple").Untyped, new Restock(10));
        await app.Client.SendAsync(Order.At("o1").Untyped, new PlaceOrder("apple", 3));
        await app.Client.SendAsync(Order.At("o2").Untyped, new PlaceOrder("apple", 9));
        await app.RunUntilIdleAsync();

        Assert.Equal(0, await app.GetStateAsync<int>(Stock.At("apple").Untyped, "on_hand"));
        Assert.Equal(3, await app.GetStateAsync<int>(Order.At("o1").Untyped, "reserved"));
        Assert.Equal(7, await app.GetStateAsync<int>(Order.At("o2").Untyped, "reserved"));
        Assert.Equal(["o1:apple:3", "o2:apple:7"], app.Emitted(ShopModule.Confirmations));
        Assert.Contains(app.Delivered, d => d.Target == Order.At("o1").Untyped && d.Caller == Stock.At("apple").Untyped);
    }

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

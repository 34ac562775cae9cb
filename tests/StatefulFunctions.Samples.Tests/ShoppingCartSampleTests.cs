namespace StatefulFunctions.Samples.Tests;

/// <summary>
/// The shopping cart sample: receipts, an out-of-stock refusal whose reservation is released, and a cart that
/// expires (its time to live is measured on a clock the sample fast-forwards, so the outcome does not depend on timing).
/// </summary>
public sealed class ShoppingCartSampleTests
{
    [Fact]
    public async Task The_sample_checks_out_refuses_out_of_stock_expires_a_cart_and_exits_zero()
    {
        var run = await SampleProcess.RunAsync("ShoppingCart");

        run.AssertExitedZero();
        Assert.Equal(
            [
                "0:00 ada-1 receipt: 2 x book, 1 x mug = 33.00",
                "0:00 bob-1 receipt: 1 x lamp, 1 x mug = 38.00",
                "0:00 carol-1 refused: out of stock (lamp)",
                "0:00 dave-1 receipt: 3 x book = 37.50", // only possible once Carol's reserved book was released
                "0:20 frank adds a book to his cart",
                "0:40 erin-1 refused: cart expired",
                "0:40 frank-1 receipt: 2 x book = 25.00", // his second book, 20 minutes later, kept his cart alive
            ],
            run.Lines.Where(line => line.Length > 0 && char.IsAsciiDigit(line[0])).ToArray());
        Assert.Equal(6, run.Count("checkouts"));
        Assert.Equal(4, run.Count("receipts"));
        Assert.Equal(1, run.Count("refused, out of stock"));
        Assert.Equal(1, run.Count("refused, cart expired"));
        Assert.Equal("133.50", run.Value("revenue"));
        Assert.Contains("stock left book 1, lamp 0, mug 0", run.Lines);
    }
}

namespace StatefulFunctions.Samples.Tests;

/// <summary>The marketplace sample: orders in one module's assembly charge and refund wallets in another's.</summary>
public sealed class MarketplaceSampleTests
{
    [Fact]
    public async Task The_orders_module_and_the_payments_module_message_each_other_and_the_sample_exits_zero()
    {
        var run = await SampleProcess.RunAsync("Marketplace");

        run.AssertExitedZero();
        Assert.Equal(
            [
                "order-1 ada lamp 30.00 paid wallet 70.00",
                "order-2 ada book 12.50 paid wallet 57.50",
                "order-3 bob lamp 30.00 declined wallet 20.00",
                "order-4 bob mug 8.00 paid wallet 12.00",
                "order-5 ada desk 80.00 declined wallet 57.50",
                "order-1 ada lamp 30.00 refunded wallet 87.50",
            ],
            run.Lines.Where(line => line.StartsWith("order-", StringComparison.Ordinal)).ToArray());
        Assert.Equal(5, run.Count("orders placed"));
        Assert.Equal(3, run.Count("orders paid"));
        Assert.Equal(2, run.Count("orders declined"));
        Assert.Equal(1, run.Count("orders refunded"));
        Assert.Equal("87.50", run.Value("wallet ada"));
        Assert.Equal("12.00", run.Value("wallet bob"));

        // 2 deposits, 5 orders placed, 5 charges and their 5 answers, 1 cancellation, its refund and its answer, 2 balances.
        Assert.Equal(22, run.Count("messages handled"));
    }
}

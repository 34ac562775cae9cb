namespace StatefulFunctions.Samples.Tests;

/// <summary>The bank over its own HTTP API: typed asks for balances, transfers that answer once they end, retries that move nothing again.</summary>
public sealed class BankSampleTests : IDisposable
{
    private readonly DirectoryInfo _workingDirectory = Directory.CreateTempSubdirectory("bank-sample-");

    [Fact]
    public async Task The_sample_transfers_refuses_refunds_and_a_second_run_moves_nothing_again()
    {
        string[] expected =
        [
            "t1: Done (30 moved from ada to bob.)",
            "t2: Refused (bob cannot pay 500.)",
            "t3: Refunded (carol took no credit; 10 went back to ada.)",
            "t1: Done (30 moved from ada to bob.)",
            "ada: 70",
            "bob: 80",
            "carol: 0",
            "The accounts are kept in data/bank.db; delete it to open them again.",
        ];

        var first = await SampleProcess.RunAsync("Bank", _workingDirectory.FullName);
        first.AssertExitedZero();
        Assert.Equal(expected, first.Lines.Where(line => line.Length > 0));

        // The deposits and transfers are keyed by their ids: the second run is answered as the first and moves nothing.
        var second = await SampleProcess.RunAsync("Bank", _workingDirectory.FullName);
        second.AssertExitedZero();
        Assert.Equal(expected, second.Lines.Where(line => line.Length > 0));
    }

    public void Dispose() => _workingDirectory.Delete(recursive: true);
}

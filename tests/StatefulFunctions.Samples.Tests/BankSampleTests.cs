using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StatefulFunctions.Samples.Tests;

/// <summary>The bank over its own HTTP API: typed asks for balances, transfers that answer once they end, retries that move nothing again.</summary>
public sealed partial class BankSampleTests : IDisposable
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

    [Fact]
    public async Task Served_a_deposit_id_reused_for_another_amount_is_a_409_problem_naming_the_id_and_moves_nothing()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var sample = await SampleServer.StartAsync("Bank", _workingDirectory.FullName, ServesOn(), deadline.Token, "--serve", "--urls", "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(sample.Address) };

        using var first = await http.PostAsJsonAsync("/accounts/ada/deposits", new { amount = 100, depositId = "d1" }, deadline.Token);
        first.EnsureSuccessStatusCode();
        using var reused = await http.PostAsJsonAsync("/accounts/ada/deposits", new { amount = 5, depositId = "d1" }, deadline.Token);

        var text = await reused.Content.ReadAsStringAsync(deadline.Token);
        Assert.True(reused.StatusCode == HttpStatusCode.Conflict, $"{(int)reused.StatusCode}: {text}");
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal("d1", problem.RootElement.GetProperty("idempotencyKey").GetString());
        Assert.Contains("Idempotency key 'd1' was already used for a different message to bank/account/ada", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var balance = await http.GetFromJsonAsync<JsonElement>("/accounts/ada", deadline.Token);
        Assert.Equal(100m, balance.GetProperty("balance").GetDecimal());
    }

    [GeneratedRegex(@"The bank serves on (\S+);")]
    private static partial Regex ServesOn();

    public void Dispose() => _workingDirectory.Delete(recursive: true);
}

using System.Net;
using System.Text.Json;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// The address limit over HTTP, on a real Kestrel on 127.0.0.1 with LiteDB: the send route and a routed ingress refuse
/// an id outside it with a problem naming it and send nothing; every id within it is stored, and no request can make a
/// checkpoint fail.
/// </summary>
public sealed class AddressLimitEndpointTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_send_route_and_a_routed_ingress_refuse_an_id_outside_the_limit_naming_it_and_send_nothing()
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var accepted = new string('v', Address.MaxIdBytes);

        using (var response = await PostAsync(server, $"/functions/bank/account/{accepted}", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await AssertRefusedAsync(server, $"/functions/bank/account/{accepted}v", "is at most 1,024 bytes in UTF-8, not 1,025");
        await AssertRefusedAsync(server, $"/functions/bank/account/{Uri.EscapeDataString(new string('€', 342))}", "is at most 1,024 bytes in UTF-8, not 1,026");

        // A router's output is held to the same rule, and the event is refused whole: the other account gets nothing.
        foreach (var (from, named) in new[] { ("a\u0001b", "must not contain control characters"), (accepted + "v", "is at most 1,024 bytes in UTF-8, not 1,025"), (" ", "must not be only white space") })
        {
            var body = JsonSerializer.Serialize(new { from, to = "routed-to", amount = 5 });
            using var response = await PostAsync(server, "/functions/ingress/transfers", "application/json", body);
            await Requests.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"The id of an address of 'bank/account' {named}");
        }

        Assert.Equal(1m, await server.BalanceAsync(accepted));
        Assert.Equal(0m, await server.BalanceAsync("routed-to"));
        await server.Runtime.WhenIdleAsync().WaitAsync(HangGuard);
        Assert.Empty(server.Runtime.GetDeadLetters());
    }

    [Fact]
    public async Task An_id_too_long_for_a_LiteDB_key_is_checkpointed_and_the_server_goes_on_serving()
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var longId = new string('v', 1010); // with "bank/account/", a key of 1,023 bytes: more than LiteDB indexes
        var checkpoints = 0;
        server.Runtime.Faults = new StorageFaults { CheckpointInterval = TimeSpan.Zero, BeforeCheckpoint = () => Interlocked.Increment(ref checkpoints) };

        using (var response = await PostAsync(server, $"/functions/bank/account/{longId}", "application/vnd.bank.deposit-quietly+json", """{ "amount": 7 }"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // A checkpoint starts after a commit once the previous one is done: the third to start follows one that holds the deposit.
        using var guard = new CancellationTokenSource(HangGuard);
        for (var i = 0; Volatile.Read(ref checkpoints) < 3; i++)
        {
            using var response = await PostAsync(server, $"/functions/bank/account/other", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""");
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(10, guard.Token);
        }

        Assert.Null(server.Runtime.StorageFailure);
        using (var live = await server.Http.GetAsync("/functions/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Assert.Equal(7m, await server.BalanceAsync(longId));
    }

    private static async Task AssertRefusedAsync(BankServer server, string path, string named)
    {
        using var response = await PostAsync(server, path, "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""");
        await Requests.AssertProblemAsync(response, HttpStatusCode.BadRequest, $"The id of an address {named}");
    }

    private static async Task<HttpResponseMessage> PostAsync(BankServer server, string path, string contentType, string body) =>
        await server.Http.PostAsync(path, Requests.Json(body, contentType));
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>How request bodies are read: the members a JSON message cannot do without, byte order marks, bad MemoryPack.</summary>
public sealed class RequestBodyTests(BankServer server) : IClassFixture<BankServer>
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData("", "bank/open-account", """{}""", "The 'bank/open-account' message is missing 'owner' and 'currency'.")]
    [InlineData("", "bank/open-account", """{ "owner": "ada" }""", "The 'bank/open-account' message is missing 'currency'.")]
    [InlineData("", "bank/open-account", """{ "owner": "ada", "note": "savings" }""", "The 'bank/open-account' message is missing 'currency'.")]
    [InlineData("/ask", "bank/open-account", """{ "currency": "eur" }""", "The 'bank/open-account' message is missing 'owner'.")]
    [InlineData("", "bank/open-account", """{ "owner": "ada", "currency": null }""", "The 'currency' of a 'bank/open-account' message must not be null.")]
    [InlineData("", "bank/deposit-quietly", """{}""", "The 'bank/deposit-quietly' message is missing 'amount'.")]
    [InlineData("", "bank/deposit-quietly", """{ "amount": null }""", "The 'amount' of a 'bank/deposit-quietly' message must not be null.")]
    public async Task A_json_message_missing_a_required_member_gets_400_naming_it_and_nothing_is_sent(string route, string messageType, string body, string detail)
    {
        var handledBefore = await IdleHandledAsync();

        using var response = await server.Http.PostAsync($"/functions/bank/account/{NewAccount()}{route}", Json(body, "application/json", messageType));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
        Assert.Equal(handledBefore, await IdleHandledAsync());
    }

    [Fact]
    public async Task A_nullable_member_may_be_left_out()
    {
        using var response = await server.Http.PostAsync($"/functions/bank/account/{NewAccount()}/ask", Json("""{ "owner": "ada", "currency": "eur" }""", "application/vnd.bank.open-account+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Note("ada opened an account in EUR."), await response.Content.ReadFromJsonAsync<Note>());
    }

    [Fact]
    public async Task A_routed_ingress_body_missing_a_required_member_gets_400_naming_it_and_nothing_is_sent()
    {
        var handledBefore = await IdleHandledAsync();

        using var response = await server.Http.PostAsync("/functions/ingress/transfers", Json("""{ "from": "a", "amount": 5 }""", "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "The router of ingress 'transfers' refused the request: The body is missing 'to'.");
        Assert.Equal(handledBefore, await IdleHandledAsync());
    }

    [Fact]
    public async Task A_json_body_may_start_with_a_utf8_byte_order_mark()
    {
        var (account, other) = (NewAccount(), NewAccount());
        var bom = Encoding.UTF8.Preamble.ToArray();

        using var sent = await server.Http.PostAsync($"/functions/bank/account/{account}", Bytes([.. bom, .. """{ "amount": 3 }"""u8], "application/vnd.bank.deposit-quietly+json"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        using var ingested = await server.Http.PostAsync("/functions/ingress/transfers", Bytes([.. bom, .. Encoding.UTF8.GetBytes($$"""{ "from": "{{account}}", "to": "{{other}}", "amount": 1 }""")], "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, ingested.StatusCode);

        Assert.Equal(2m, await server.BalanceAsync(account));
        Assert.Equal(1m, await server.BalanceAsync(other));
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0100000000ffffffff")]
    public async Task A_memorypack_body_that_is_not_the_message_gets_400_and_nothing_is_sent(string hex)
    {
        var handledBefore = await IdleHandledAsync();

        using var response = await server.Http.PostAsync($"/functions/bank/account/{NewAccount()}", Bytes(Convert.FromHexString(hex), "application/x-memorypack", "bank/deposit-quietly"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "The body is not a 'bank/deposit-quietly' message in MemoryPack");
        Assert.Equal(handledBefore, await IdleHandledAsync());
    }

    private async Task<long> IdleHandledAsync()
    {
        await server.Runtime.WhenIdleAsync();
        return server.Runtime.MessagesHandled;
    }
}

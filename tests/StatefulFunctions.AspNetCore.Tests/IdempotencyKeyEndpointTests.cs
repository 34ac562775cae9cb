using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>The Idempotency-Key header on send, ask and routed ingress, against a real Kestrel server.</summary>
public sealed class IdempotencyKeyEndpointTests(BankServer server) : IClassFixture<BankServer>
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_send_retried_with_its_idempotency_key_is_answered_202_again_and_applied_once()
    {
        var (account, key) = (NewAccount(), NewKey());

        using var first = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 10 }""", "application/vnd.bank.deposit-quietly+json", key);
        using var retry = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 10 }""", "application/vnd.bank.deposit-quietly+json", key);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(10m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_gets_409_naming_the_key_and_nothing_is_sent()
    {
        var (account, key) = (NewAccount(), NewKey());
        using var first = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 10 }""", "application/vnd.bank.deposit-quietly+json", key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var conflict = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 99 }""", "application/vnd.bank.deposit-quietly+json", key);
        var problem = await AssertProblemAsync(conflict, HttpStatusCode.Conflict, $"Idempotency key '{key}' was already used for a 'bank/deposit-quietly' message with a different body to bank/account/{account}");
        Assert.Equal(key, problem.GetProperty("idempotencyKey").GetString());

        using var askConflict = await PostAsync($"/functions/bank/account/{account}/ask", """{ "amount": 10 }""", "application/vnd.bank.deposit+json", key);
        await AssertProblemAsync(askConflict, HttpStatusCode.Conflict, $"Idempotency key '{key}'");

        Assert.Equal(10m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task An_ask_retried_with_its_key_gets_the_original_reply()
    {
        var (account, key) = (NewAccount(), NewKey());

        using var first = await PostAsync($"/functions/bank/account/{account}/ask", """{ "amount": 7 }""", "application/vnd.bank.deposit+json", key);
        using var retry = await PostAsync($"/functions/bank/account/{account}/ask", """{ "amount": 7 }""", "application/vnd.bank.deposit+json", key);
        using var preferWait = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 7 }""", "application/vnd.bank.deposit+json", key, preferWait: true);

        Assert.Equal(new Balance(account, 7), await first.Content.ReadFromJsonAsync<Balance>());
        Assert.Equal(new Balance(account, 7), await retry.Content.ReadFromJsonAsync<Balance>());
        Assert.Equal(new Balance(account, 7), await preferWait.Content.ReadFromJsonAsync<Balance>());
        Assert.Equal(7m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_routed_ingress_request_is_applied_once_per_key_from_the_header_or_derived_from_the_request()
    {
        var (from, to) = (NewAccount(), NewAccount());
        var body = $$"""{ "from": "{{from}}", "to": "{{to}}", "amount": 30 }""";
        var key = NewKey();
        for (var i = 0; i < 2; i++)
        {
            using var response = await PostAsync("/functions/ingress/transfers", body, "application/json", key);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // An ingress that derives the key from the body: no header needed.
        var transferId = NewKey();
        var keyed = $$"""{ "transferId": "{{transferId}}", "from": "{{from}}", "to": "{{to}}", "amount": 5 }""";
        for (var i = 0; i < 2; i++)
        {
            using var response = await PostAsync("/functions/ingress/keyed-transfers", keyed, "application/json", idempotencyKey: null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        using var conflict = await PostAsync("/functions/ingress/keyed-transfers", keyed.Replace("\"amount\": 5", "\"amount\": 6", StringComparison.Ordinal), "application/json", idempotencyKey: null);
        await AssertProblemAsync(conflict, HttpStatusCode.Conflict, $"Idempotency key '{transferId}'");

        Assert.Equal(-35m, await server.BalanceAsync(from));
        Assert.Equal(35m, await server.BalanceAsync(to));
    }

    [Fact]
    public async Task An_invalid_idempotency_key_gets_400_and_nothing_is_sent()
    {
        var account = NewAccount();
        using var response = await PostAsync($"/functions/bank/account/{account}", """{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json", new string('k', 300));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "An idempotency key is at most 256 characters long");
        Assert.Equal(0m, await server.BalanceAsync(account));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, string? idempotencyKey, bool preferWait = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (preferWait)
        {
            request.Headers.Add("Prefer", "wait=10");
        }

        return await server.Http.SendAsync(request);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}

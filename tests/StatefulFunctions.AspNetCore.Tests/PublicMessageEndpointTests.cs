using System.Net;
using System.Text;
using System.Text.Json;
using MemoryPack;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// Deny by default, on a real Kestrel on 127.0.0.1: only message types marked <c>[PublicMessage]</c> can be sent or
/// asked over HTTP; an internal message type, and a function type that takes only internal ones, answer exactly as
/// if they did not exist, and no answer lists them. The in-process client still sends them.
/// </summary>
public sealed class PublicMessageEndpointTests(BankServer server) : IClassFixture<BankServer>
{
    private static readonly string[] Internal = ["bank/credit", "bank/post-entry", "bank/balance"];

    public static TheoryData<string, string, string?, byte[]> InternalRequests => new()
    {
        { "/functions/bank/account/{0}", "application/vnd.bank.credit+json", null, Encoding.UTF8.GetBytes("""{ "amount": 1000000 }""") },
        { "/functions/bank/account/{0}", "application/json", "bank/credit", Encoding.UTF8.GetBytes("""{ "amount": 1000000 }""") },
        { "/functions/bank/account/{0}", "application/x-memorypack", "bank/credit", MemoryPackSerializer.Serialize(new Credit(1_000_000)) },
        { "/functions/bank/account/{0}/ask", "application/vnd.bank.credit+json", null, Encoding.UTF8.GetBytes("""{ "amount": 1000000 }""") },
        { "/functions/bank/ledger/{0}", "application/vnd.bank.post-entry+json", null, Encoding.UTF8.GetBytes("""{ "amount": 5 }""") },
        { "/functions/bank/ledger/{0}", "application/vnd.bank.deposit+json", null, Encoding.UTF8.GetBytes("""{ "amount": 5 }""") },
    };

    [Theory]
    [MemberData(nameof(InternalRequests))]
    public async Task An_internal_message_type_or_a_function_type_taking_only_internal_ones_is_404_unlisted_and_nothing_is_sent(string path, string contentType, string? messageType, byte[] body)
    {
        var account = "mallory-" + Guid.NewGuid().ToString("N");
        using var content = Requests.Bytes(body, contentType, messageType);

        using var response = await server.Http.PostAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, account), content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains("takes messages over HTTP", StringComparison.Ordinal) || detail.Contains("Public message types: ", StringComparison.Ordinal), detail);
        // The request's own words may be echoed; what the answer lists is public only.
        var listed = detail.Contains("Public message types: ", StringComparison.Ordinal) ? detail[detail.IndexOf("Public message types: ", StringComparison.Ordinal)..] : detail;
        Assert.All(Internal, name => Assert.DoesNotContain($"'{name}'", listed, StringComparison.Ordinal));
        Assert.Equal(0m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_function_type_taking_only_internal_messages_answers_as_an_unknown_one_does()
    {
        using var ledger = await PostAsync("/functions/bank/ledger/main", "application/vnd.bank.deposit+json", """{ "amount": 5 }""");
        using var unknown = await PostAsync("/functions/bank/nowhere/main", "application/vnd.bank.deposit+json", """{ "amount": 5 }""");

        Assert.Equal(HttpStatusCode.NotFound, ledger.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync()).Replace("bank/nowhere", "X", StringComparison.Ordinal),
            (await ledger.Content.ReadAsStringAsync()).Replace("bank/ledger", "X", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_answer_that_lists_message_types_lists_the_public_ones_only()
    {
        using var noHeader = await PostAsync("/functions/bank/account/a", "application/json", """{ "amount": 1 }""");
        using var unknown = await PostAsync("/functions/bank/account/a", "application/vnd.bank.withdraw+json", """{ "amount": 1 }""");
        foreach (var response in new[] { noHeader, unknown })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("'bank/deposit'", text, StringComparison.Ordinal);
            Assert.Contains("'audit/note'", text, StringComparison.Ordinal);
            Assert.All(Internal, name => Assert.DoesNotContain($"'{name}'", text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_applications_own_code_still_sends_internal_messages()
    {
        var account = "own-" + Guid.NewGuid().ToString("N");
        await server.Runtime.Client.SendAsync(Account.At(account), new Credit(5));
        Assert.Equal(5m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_409_for_a_key_the_application_used_for_an_internal_message_does_not_name_it()
    {
        var account = "keyed-" + Guid.NewGuid().ToString("N");
        await server.Runtime.Client.SendAsync(Account.At(account), new Credit(5), "shared-key");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{account}") { Content = new StringContent("""{ "amount": 1 }""", Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/vnd.bank.deposit-quietly+json");
        request.Headers.Add("Idempotency-Key", "shared-key");
        using var response = await server.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Idempotency key 'shared-key' was already used for a different message to bank/account/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bank/credit", text, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string contentType, string body) =>
        server.Http.PostAsync(path, Requests.Json(body, contentType));
}

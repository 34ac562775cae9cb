using System.Net;
using System.Net.Http.Json;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Which endpoint a request reaches: methods, the reserved first segments, HEAD, and how ids are decoded.</summary>
public sealed class RoutingTests(BankServer server) : IClassFixture<BankServer>
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData("GET", "/functions/bank/account/a", "POST")]
    [InlineData("PUT", "/functions/bank/account/a", "POST")]
    [InlineData("GET", "/functions/bank/account/a/ask", "POST")]
    [InlineData("DELETE", "/functions/health/live", "GET, HEAD")]
    [InlineData("POST", "/functions/health/ready", "GET, HEAD")]
    [InlineData("PUT", "/functions/egress/audit/notes", "GET")]
    [InlineData("POST", "/functions/egress/audit/notes", "GET")]
    [InlineData("GET", "/functions/ingress/transfers", "POST")]
    [InlineData("GET", "/functions/ingress/transfers/some/path", "POST")]
    public async Task A_known_path_with_another_method_gets_405_with_an_allow_header_and_nothing_is_sent(string method, string path, string allow)
    {
        await server.Runtime.WhenIdleAsync();
        var handledBefore = server.Runtime.MessagesHandled;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = Json("""{ "text": "hi" }""", "application/vnd.audit.note+json");
        }

        using var response = await server.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, $"{method} is not allowed on {path}; use {allow.Replace(", ", " or ", StringComparison.Ordinal)}.");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        await server.Runtime.WhenIdleAsync();
        Assert.Equal(handledBefore, server.Runtime.MessagesHandled);
    }

    [Theory]
    [InlineData("POST", "/functions/health/live/now")]
    [InlineData("POST", "/functions/egress/audit/notes/ask")]
    [InlineData("GET", "/functions/egress/audit")]
    [InlineData("GET", "/functions/bank/account")]
    public async Task A_path_no_endpoint_has_gets_404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Json("""{ "text": "hi" }""", "application/vnd.audit.note+json") : null };

        using var response = await server.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, $"No endpoint for {method} {path}");
    }

    [Theory]
    [InlineData("/functions/health/live")]
    [InlineData("/functions/health/ready")]
    public async Task Health_answers_head_requests_without_a_body(string path)
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("s%2Fl", "s/l")]
    [InlineData("s%252Fl", "s%2Fl")]
    [InlineData("q%25FFq", "q%FFq")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("caf%c3%a9%20au%20lait", "café au lait")]
    [InlineData("plain", "plain")]
    public async Task An_id_in_the_path_is_percent_decoded_exactly_once(string encoded, string id)
    {
        var prefix = NewAccount() + "-";

        using var sent = await server.Http.SendAsync(Verbatim(HttpMethod.Post, server, $"/functions/bank/account/{prefix}{encoded}", Json("""{ "amount": 2 }""", "application/vnd.bank.deposit-quietly+json")));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal($"bank/account/{prefix}{id}", (await sent.Content.ReadFromJsonAsync<SendAccepted>())!.Target);

        using var asked = await server.Http.SendAsync(Verbatim(HttpMethod.Post, server, $"/functions/bank/account/{prefix}{encoded}/ask", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit+json")));
        Assert.Equal(new Balance(prefix + id, 3), await asked.Content.ReadFromJsonAsync<Balance>());
        Assert.Equal(3m, (await server.Runtime.Client.AskAsync<Balance>(new Address("bank/account", prefix + id), new GetBalance(), TimeSpan.FromSeconds(30))).Amount);
    }

    [Fact]
    public async Task Ids_that_differ_only_in_how_often_they_were_encoded_are_different_instances()
    {
        var prefix = NewAccount() + "-";

        using var once = await server.Http.SendAsync(Verbatim(HttpMethod.Post, server, $"/functions/bank/account/{prefix}s%2Fl", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json")));
        using var twice = await server.Http.SendAsync(Verbatim(HttpMethod.Post, server, $"/functions/bank/account/{prefix}s%252Fl", Json("""{ "amount": 10 }""", "application/vnd.bank.deposit-quietly+json")));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (once.StatusCode, twice.StatusCode));
        Assert.Equal(1m, (await server.Runtime.Client.AskAsync<Balance>(new Address("bank/account", prefix + "s/l"), new GetBalance(), TimeSpan.FromSeconds(30))).Amount);
        Assert.Equal(10m, (await server.Runtime.Client.AskAsync<Balance>(new Address("bank/account", prefix + "s%2Fl"), new GetBalance(), TimeSpan.FromSeconds(30))).Amount);
    }

    [Theory]
    [InlineData("q%FFq", "'%FF'")]
    [InlineData("q%C3q", "'%C3'")]
    [InlineData("q%E2%82q", "'%E2%82'")]
    public async Task An_id_whose_percent_encoding_is_not_utf8_gets_400_naming_it_and_nothing_is_sent(string encoded, string named)
    {
        await server.Runtime.WhenIdleAsync();
        var handledBefore = server.Runtime.MessagesHandled;

        using var response = await server.Http.SendAsync(Verbatim(HttpMethod.Post, server, $"/functions/bank/account/{NewAccount()}-{encoded}", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, $"is not UTF-8: {named}");
        await server.Runtime.WhenIdleAsync();
        Assert.Equal(handledBefore, server.Runtime.MessagesHandled);
    }
}

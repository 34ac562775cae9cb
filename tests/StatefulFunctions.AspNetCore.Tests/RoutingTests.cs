using System.Net;
using System.Net.Http.Json;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Which endpoint a request reaches: methods, the reserved first segments, HEAD.</summary>
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
}

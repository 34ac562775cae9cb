using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MemoryPack;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Send, ask and routed ingress over HTTP against a real Kestrel server.</summary>
public sealed class MessageEndpointTests(BankServer server) : IClassFixture<BankServer>
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_message_posted_as_its_vendor_json_type_is_accepted_once_durable_and_handled()
    {
        var account = NewAccount();
        using var response = await server.Http.PostAsync($"/functions/bank/account/{account}", Json("""{ "amount": 12.5 }""", "application/vnd.bank.deposit-quietly+json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<SendAccepted>();
        Assert.Equal(new SendAccepted($"bank/account/{account}", "bank/deposit-quietly"), accepted);
        Assert.Equal(12.5m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_message_type_can_also_be_named_by_header_for_json_and_memorypack_bodies()
    {
        var account = NewAccount();
        using var json = Json("""{ "amount": 2 }""", "application/json");
        json.Headers.Add("Message-Type", "bank/deposit-quietly");
        using var first = await server.Http.PostAsync($"/functions/bank/account/{account}", json);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var binary = new ByteArrayContent(MemoryPackSerializer.Serialize(new DepositQuietly(3)));
        binary.Headers.ContentType = new MediaTypeHeaderValue("application/x-memorypack");
        binary.Headers.Add("Message-Type", "bank/deposit-quietly");
        using var second = await server.Http.PostAsync($"/functions/bank/account/{account}", binary);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        Assert.Equal(5m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task Ask_returns_the_reply_as_json_by_path_or_by_prefer_wait()
    {
        var account = NewAccount();
        using var asked = await server.Http.PostAsync($"/functions/bank/account/{account}/ask", Json("""{ "amount": 7 }""", "application/vnd.bank.deposit+json"));
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal(new Balance(account, 7), await asked.Content.ReadFromJsonAsync<Balance>());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{account}") { Content = Json("""{ "amount": 1 }""", "application/vnd.bank.deposit+json") };
        request.Headers.Add("Prefer", "wait=10");
        using var preferred = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, preferred.StatusCode);
        Assert.Equal(new Balance(account, 8), await preferred.Content.ReadFromJsonAsync<Balance>());
    }

    [Fact]
    public async Task An_ask_without_a_reply_in_time_gets_504_and_the_message_is_still_handled()
    {
        var account = NewAccount();
        using var response = await server.Http.PostAsync($"/functions/bank/account/{account}/ask?timeout=0.2", Json("""{ "amount": 4 }""", "application/vnd.bank.deposit-slowly+json"));

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "No reply from bank/account/" + account);
        Assert.Equal(4m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task An_ask_whose_handler_does_not_reply_gets_502_naming_it()
    {
        var account = NewAccount();
        using var response = await server.Http.PostAsync($"/functions/bank/account/{account}/ask", Json("""{ "amount": 4 }""", "application/vnd.bank.deposit-quietly+json"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "without calling context.Reply");
        Assert.Equal(4m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_ask_does_not_lose_the_message()
    {
        var account = NewAccount();
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                server.Http.PostAsync($"/functions/bank/account/{account}/ask?timeout=60", Json("""{ "amount": 9 }""", "application/vnd.bank.deposit-slowly+json"), impatient.Token));
        }

        Assert.Equal(9m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_routed_http_ingress_maps_one_request_to_messages_for_two_addresses()
    {
        var (from, to) = (NewAccount(), NewAccount());
        using var response = await server.Http.PostAsync("/functions/ingress/transfers", Json($$"""{ "from": "{{from}}", "to": "{{to}}", "amount": 30 }""", "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(-30m, await server.BalanceAsync(from));
        Assert.Equal(30m, await server.BalanceAsync(to));
    }

    [Fact]
    public async Task A_request_the_router_refuses_gets_400_with_its_reason_and_sends_nothing()
    {
        var (from, to) = (NewAccount(), NewAccount());
        using var response = await server.Http.PostAsync("/functions/ingress/transfers", Json($$"""{ "from": "{{from}}", "to": "{{to}}", "amount": -5 }""", "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "A transfer moves a positive amount, not -5.");
        Assert.Equal(0m, await server.BalanceAsync(from));
        Assert.Equal(0m, await server.BalanceAsync(to));
    }

    [Theory]
    [InlineData("/functions/bank/nowhere/a", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""", HttpStatusCode.NotFound, "No function type 'bank/nowhere' takes messages over HTTP in this application")]
    [InlineData("/functions/bank/account/%20", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""", HttpStatusCode.BadRequest, "The id of an address must not be only white space")]
    [InlineData("/functions/bank/account/{0}", "application/vnd.bank.deposit-quietly+json", """{ "amount": "lots" }""", HttpStatusCode.BadRequest, "The body is not a 'bank/deposit-quietly' message in JSON")]
    [InlineData("/functions/bank/account/{0}", "application/vnd.bank.deposit-quietly+json", """{ "amount": """, HttpStatusCode.BadRequest, "The body is not a 'bank/deposit-quietly' message in JSON")]
    [InlineData("/functions/bank/account/{0}", "text/plain", "deposit 5", HttpStatusCode.UnsupportedMediaType, "'text/plain' is not a message content type")]
    [InlineData("/functions/bank/account/{0}", "application/vnd.bank.withdraw+json", """{ "amount": 1 }""", HttpStatusCode.NotFound, "'application/vnd.bank.withdraw+json' names no message type this application takes over HTTP")]
    [InlineData("/functions/bank/account/{0}", "application/json", """{ "amount": 1 }""", HttpStatusCode.UnsupportedMediaType, "needs a Message-Type header")]
    [InlineData("/functions/bank/account/{0}", "application/vnd.audit.note+json", """{ "text": "hi" }""", HttpStatusCode.UnprocessableEntity, "Function type 'bank/account' does not handle 'audit/note' messages")]
    [InlineData("/functions/bank/account/{0}/x/y", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""", HttpStatusCode.NotFound, "No endpoint for POST /functions/bank/account/")]
    [InlineData("/functions/ingress/payments", "application/json", """{ "amount": 1 }""", HttpStatusCode.NotFound, "No HTTP ingress 'payments' is declared")]
    [InlineData("/functions/ingress/transfers", "application/json", """{ "from": """, HttpStatusCode.BadRequest, "The body is not valid JSON")]
    [InlineData("/functions/ingress/transfers", "application/json", """{ "from": "a" }""", HttpStatusCode.BadRequest, "The router of ingress 'transfers' refused the request")]
    public async Task Bad_requests_get_a_problem_naming_the_problem_and_nothing_is_sent(string path, string contentType, string body, HttpStatusCode status, string detail)
    {
        var account = NewAccount();
        var handledBefore = await IdleHandledAsync();

        using var response = await server.Http.PostAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, account), Json(body, contentType));

        await AssertProblemAsync(response, status, detail);
        Assert.Equal(handledBefore, await IdleHandledAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_nothing_is_sent()
    {
        var account = NewAccount();
        var handledBefore = await IdleHandledAsync();
        var padding = new string(' ', (int)BankServer.MaxBodyBytes);

        using var response = await server.Http.PostAsync($"/functions/bank/account/{account}", Json("{ \"amount\": 1 }" + padding, "application/vnd.bank.deposit-quietly+json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than the limit of 4,096 bytes");
        Assert.Equal(handledBefore, await IdleHandledAsync());
        Assert.Equal(0m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task Health_and_readiness_answer_while_the_runtime_runs()
    {
        using var live = await server.Http.GetAsync("/functions/health/live");
        using var ready = await server.Http.GetAsync("/functions/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(new HealthStatus("live"), await live.Content.ReadFromJsonAsync<HealthStatus>());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(new HealthStatus("ready"), await ready.Content.ReadFromJsonAsync<HealthStatus>());
    }

    [Fact]
    public async Task Readiness_turns_503_once_the_runtime_stops_while_the_server_still_answers()
    {
        await using var own = await BankServer.StartAsync(_ => { });
        await own.Runtime.StopAsync();

        using var ready = await own.Http.GetAsync("/functions/health/ready");
        await AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "not started, is stopping");
        using var live = await own.Http.GetAsync("/functions/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var send = await own.Http.PostAsync($"/functions/bank/account/{NewAccount()}", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json"));
        await AssertProblemAsync(send, HttpStatusCode.ServiceUnavailable, "stopped");
    }

    [Fact]
    public async Task After_a_storage_failure_readiness_and_liveness_are_503_naming_it_and_sends_are_refused_naming_it()
    {
        await using var own = await BankServer.StartAsync(_ => { });
        own.Runtime.Faults = new StorageFaults { BeforeAppend = () => throw new IOException("injected: the disk is full") };
        using var failed = await own.Http.PostAsync($"/functions/bank/account/{NewAccount()}", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json"));
        await AssertProblemAsync(failed, HttpStatusCode.ServiceUnavailable, "injected: the disk is full");

        using var ready = await own.Http.GetAsync("/functions/health/ready");
        await AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "durable storage failed (IOException: injected: the disk is full)");
        using var live = await own.Http.GetAsync("/functions/health/live");
        await AssertProblemAsync(live, HttpStatusCode.ServiceUnavailable, "durable storage failed (IOException: injected: the disk is full)");
        using var refused = await own.Http.PostAsync($"/functions/bank/account/{NewAccount()}", Json("""{ "amount": 1 }""", "application/vnd.bank.deposit-quietly+json"));
        await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "injected: the disk is full");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_send_ask_and_ingress_routes()
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/functions/{namespace}/{type}/{id}", out var send), paths.ToString());
        Assert.Equal("Sends one message to the function at an address", send.GetProperty("post").GetProperty("summary").GetString());
        Assert.True(paths.TryGetProperty("/functions/{namespace}/{type}/{id}/ask", out _), paths.ToString());
        Assert.True(paths.TryGetProperty("/functions/ingress/{name}/{path}", out _), paths.ToString());
        Assert.True(paths.TryGetProperty("/functions/health/ready", out _), paths.ToString());
    }

    private async Task<long> IdleHandledAsync()
    {
        await server.Runtime.WhenIdleAsync();
        return server.Runtime.MessagesHandled;
    }

    private static StringContent Json(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

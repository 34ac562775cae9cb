using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>How request bodies are read: required members, byte order marks, bad MemoryPack, bodies cut short.</summary>
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

    [Theory]
    [InlineData("/functions/bank/account/{0}", "application/vnd.bank.deposit-quietly+json")]
    [InlineData("/functions/bank/account/{0}/ask", "application/vnd.bank.deposit+json")]
    [InlineData("/functions/ingress/transfers", "application/json")]
    public async Task A_body_the_server_refuses_to_read_on_gets_a_400_problem_logged_as_information_and_nothing_is_sent(string path, string contentType)
    {
        var logs = new LogCapture();
        await using var own = await BankServer.StartAsync(builder => Capture(builder, logs));
        var target = string.Format(CultureInfo.InvariantCulture, path, NewAccount());

        // A chunked body whose second chunk size is not a number: Kestrel stops reading it at once.
        var response = await RawHttp.SendAsync(own, RawHttp.Head(own, $"POST {target} HTTP/1.1", $"Content-Type: {contentType}", "Transfer-Encoding: chunked"), Encoding.ASCII.GetBytes("2\r\n{ \r\nzz\r\n"), endSending: false);

        AssertRawProblem(response, HttpStatusCode.BadRequest, "The request body could not be read: Bad chunk size data.");
        await own.Runtime.WhenIdleAsync();
        Assert.Equal(0, own.Runtime.MessagesHandled);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && !LogCapture.IsMachineLoad(e));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.EventId == 110 && e.Message.Contains("400", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/functions/bank/account/{0}", "application/vnd.bank.deposit-quietly+json")]
    [InlineData("/functions/bank/account/{0}/ask", "application/vnd.bank.deposit+json")]
    [InlineData("/functions/ingress/transfers", "application/json")]
    public async Task A_client_that_stops_sending_before_the_end_of_its_content_length_is_logged_as_information_and_nothing_is_sent(string path, string contentType)
    {
        var logs = new LogCapture();
        await using var own = await BankServer.StartAsync(builder => Capture(builder, logs));
        var target = string.Format(CultureInfo.InvariantCulture, path, NewAccount());

        // 33 bytes of the 200 promised, then the client ends its side of the connection. Kestrel's socket transport
        // takes that as the client going away and resets the connection, so no answer reaches the client; the server
        // must not fail on it.
        var response = await RawHttp.TrySendAsync(own, RawHttp.Head(own, $"POST {target} HTTP/1.1", $"Content-Type: {contentType}", "Content-Length: 200"), Encoding.UTF8.GetBytes("""{ "amount": 1 }""".PadRight(33)), endSending: true);
        await KestrelStoppedAsync(logs);

        if (response is not null)
        {
            AssertRawProblem(response, HttpStatusCode.BadRequest, "The request body ended before the 200 bytes of its Content-Length");
        }

        await own.Runtime.WhenIdleAsync();
        Assert.Equal(0, own.Runtime.MessagesHandled);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && !LogCapture.IsMachineLoad(e));
    }

    /// <summary>Waits until Kestrel is done with the (only) connection: the request, and what the endpoint logged, are over.</summary>
    private static async Task KestrelStoppedAsync(LogCapture logs)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!logs.Entries.Any(e => e.Category == "Microsoft.AspNetCore.Server.Kestrel.Connections" && e.Message.EndsWith("stopped.", StringComparison.Ordinal)))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task A_body_that_stops_coming_gets_a_408_problem_logged_as_information_and_nothing_is_sent()
    {
        var logs = new LogCapture();
        await using var own = await BankServer.StartAsync(builder =>
        {
            Capture(builder, logs);

            // Kestrel's own grace period is 5 s; the least it takes is just over its 1 s heartbeat.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(1.5)));
        });

        // 33 bytes of the 200 promised, then nothing, on a connection the client keeps open.
        var response = await RawHttp.SendAsync(own, RawHttp.Head(own, $"POST /functions/bank/account/{NewAccount()} HTTP/1.1", "Content-Type: application/vnd.bank.deposit-quietly+json", "Content-Length: 200"), Encoding.UTF8.GetBytes("""{ "amount": 1 }""".PadRight(33)), endSending: false);

        AssertRawProblem(response, HttpStatusCode.RequestTimeout, "The request body came too slowly");
        await own.Runtime.WhenIdleAsync();
        Assert.Equal(0, own.Runtime.MessagesHandled);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error && !LogCapture.IsMachineLoad(e));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.EventId == 110 && e.Message.Contains("408", StringComparison.Ordinal));
    }

    private static void Capture(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder, LogCapture logs)
    {
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<LogCapture>(category: null, LogLevel.Trace);
    }

    private static void AssertRawProblem(RawResponse response, HttpStatusCode status, string detail)
    {
        Assert.True(response.Status == (int)status, $"{response.Status}: {response.Body}");
        Assert.StartsWith("application/problem+json", response.Headers.GetValueOrDefault("content-type"), StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<long> IdleHandledAsync()
    {
        await server.Runtime.WhenIdleAsync();
        return server.Runtime.MessagesHandled;
    }
}

using System.Globalization;
using System.Net;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>The answers of asks: a dead-lettered message, waits that are not a usable number of seconds.</summary>
public sealed class AskAnswerTests(BankServer server) : IClassFixture<BankServer>
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData("/ask", null)]
    [InlineData("", "wait=10")]
    public async Task An_ask_whose_message_is_dead_lettered_gets_500_naming_the_dead_letter_and_the_failure(string route, string? prefer)
    {
        var account = NewAccount();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{account}{route}") { Content = Json("""{ "amount": 5 }""", "application/vnd.bank.withdraw-strictly+json") };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }

        using var response = await server.Http.SendAsync(request);

        var deadLetter = Assert.Single(server.Runtime.Client.GetDeadLetters(), d => d.Target.Id == account);
        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, $"dead letter {deadLetter.Id.ToString(CultureInfo.InvariantCulture)}");
        Assert.Equal("The handler failed", problem.GetProperty("title").GetString());
        Assert.Contains($"bank/account/{account}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The handler's exception stays inside unless the application says clients may see it.
        Assert.DoesNotContain("Insufficient funds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ask_the_handler_rejects_gets_500_with_the_reason_the_handler_gave_after_one_attempt()
    {
        var account = NewAccount();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{account}/ask") { Content = Json("""{ "amount": 5 }""", "application/vnd.bank.withdraw-or-refuse+json") };

        using var response = await server.Http.SendAsync(request);

        var deadLetter = Assert.Single(server.Runtime.Client.GetDeadLetters(), d => d.Target.Id == account);
        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, $"bank/account/{account} rejected StatefulFunctions.AspNetCore.Tests.WithdrawOrRefuse: The balance is 0, the withdrawal 5.");
        Assert.Contains($"dead letter {deadLetter.Id.ToString(CultureInfo.InvariantCulture)}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, deadLetter.Attempts);
    }

    [Fact]
    public async Task With_ShowHandlerFailures_a_dead_lettered_ask_names_the_last_failure()
    {
        await using var own = await BankServer.StartAsync(_ => { }, http: o => o.ShowHandlerFailures = true);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{NewAccount()}/ask") { Content = Json("""{ "amount": 5 }""", "application/vnd.bank.withdraw-strictly+json") };
        using var response = await own.Http.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "InvalidOperationException: Insufficient funds: the balance is 0, the withdrawal 5.");
        Assert.Equal("The handler failed", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_ask_of_a_dead_lettered_message_retried_with_its_key_gets_the_same_500_and_sends_nothing()
    {
        var (account, key) = (NewAccount(), "key-" + Guid.NewGuid().ToString("N"));
        using var first = await AskAsync(account, key);
        await server.Runtime.WhenIdleAsync();
        var handledBefore = server.Runtime.MessagesHandled;

        using var retry = await AskAsync(account, key);

        var deadLetter = Assert.Single(server.Runtime.Client.GetDeadLetters(), d => d.Target.Id == account);
        await AssertProblemAsync(first, HttpStatusCode.InternalServerError, $"dead letter {deadLetter.Id.ToString(CultureInfo.InvariantCulture)}");
        await AssertProblemAsync(retry, HttpStatusCode.InternalServerError, $"dead letter {deadLetter.Id.ToString(CultureInfo.InvariantCulture)}");
        await server.Runtime.WhenIdleAsync();
        Assert.Equal(handledBefore, server.Runtime.MessagesHandled);

        Task<HttpResponseMessage> AskAsync(string to, string idempotencyKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{to}/ask") { Content = Json("""{ "amount": 5 }""", "application/vnd.bank.withdraw-strictly+json") };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return server.Http.SendAsync(request);
        }
    }

    [Theory]
    [InlineData("/ask?timeout=1e-9", null)]
    [InlineData("/ask?timeout=0.0009", null)]
    [InlineData("/ask?timeout=0", null)]
    [InlineData("/ask?timeout=-1", null)]
    [InlineData("/ask?timeout=abc", null)]
    [InlineData("/ask?timeout=NaN", null)]
    [InlineData("/ask?timeout=1e300", null)]
    [InlineData("", "wait=abc")]
    [InlineData("", "wait=-1")]
    [InlineData("", "wait=0")]
    [InlineData("", "wait=NaN")]
    [InlineData("", "wait=Infinity")]
    [InlineData("", "wait=1e300")]
    [InlineData("", "wait=1e-9")]
    [InlineData("", "wait=")]
    [InlineData("", "wait")]
    [InlineData("", "respond-async, wait=soon")]
    [InlineData("/ask", "wait=abc")]
    public async Task A_timeout_or_wait_preference_that_is_not_a_usable_number_of_seconds_gets_400_and_nothing_is_sent(string route, string? prefer)
    {
        var account = NewAccount();
        await server.Runtime.WhenIdleAsync();
        var handledBefore = server.Runtime.MessagesHandled;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{account}{route}") { Content = Json("""{ "amount": 4 }""", "application/vnd.bank.deposit+json") };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        using var response = await server.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "a number of seconds from 0.001");
        await server.Runtime.WhenIdleAsync();
        Assert.Equal(handledBefore, server.Runtime.MessagesHandled);
        Assert.Equal(0m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task A_wait_longer_than_the_longest_allowed_is_cut_to_it()
    {
        // The handler takes a second; the longest wait is a tenth of that: asking for 100,000 s still ends in a 504.
        await using var own = await BankServer.StartAsync(_ => { }, http: o => o.MaxAskTimeout = TimeSpan.FromMilliseconds(100));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/functions/bank/account/{NewAccount()}/ask?timeout=100000") { Content = Json("""{ "amount": 4 }""", "application/vnd.bank.deposit-slowly+json") };

        using var response = await own.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }
}

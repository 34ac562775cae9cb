using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static StatefulFunctions.AspNetCore.Tests.Requests;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// The application's own endpoints (minimal APIs that ask functions) with <c>AddStatefulFunctionsExceptionHandler</c>
/// and <c>UseExceptionHandler()</c>: the runtime's failures answered as problems, as the runtime's endpoints answer
/// them, instead of an empty 500.
/// </summary>
public sealed class ApplicationEndpointProblemTests
{
    private static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N");

    private static Task<BankServer> StartAsync(Action<StatefulFunctionsProblemOptions>? problems = null) =>
        BankServer.StartAsync(
            builder => builder.Services.AddStatefulFunctionsExceptionHandler(problems),
            map: app =>
            {
                app.UseExceptionHandler();
                app.MapPost("/app/{id}/withdraw", async (string id, IStatefulFunctionsClient client) =>
                    Results.Ok(await client.AskAsync<Balance>(Account.At(id).Untyped, new WithdrawStrictly(5), TimeSpan.FromSeconds(30))));
                app.MapPost("/app/{id}/deposit-slowly", async (string id, IStatefulFunctionsClient client) =>
                    Results.Ok(await client.AskAsync<Balance>(Account.At(id).Untyped, new DepositSlowly(1), TimeSpan.FromMilliseconds(1))));
                app.MapPost("/app/{id}/deposit/{key}", async (string id, string key, IStatefulFunctionsClient client) =>
                    Results.Ok(await client.AskAsync<Balance>(Account.At(id).Untyped, new Deposit(1), TimeSpan.FromSeconds(30), key, CancellationToken.None)));
                app.MapPost("/app/{id}/withdraw/{key}", async (string id, string key, IStatefulFunctionsClient client) =>
                    Results.Ok(await client.AskAsync<Balance>(Account.At(id).Untyped, new WithdrawStrictly(1), TimeSpan.FromSeconds(30), key, CancellationToken.None)));
                app.MapGet("/app/own-timeout", string () => throw new TimeoutException("The application's own timeout."));
            });

    [Fact]
    public async Task A_dead_lettered_ask_in_an_application_endpoint_is_a_500_problem_naming_the_dead_letter()
    {
        await using var server = await StartAsync();
        var account = NewAccount();

        using var response = await server.Http.PostAsync($"/app/{account}/withdraw", content: null);

        var deadLetter = Assert.Single(server.Runtime.Client.GetDeadLetters(), d => d.Target.Id == account);
        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, $"dead letter {deadLetter.Id.ToString(CultureInfo.InvariantCulture)}");
        Assert.Equal("The handler failed", problem.GetProperty("title").GetString());
        Assert.Contains($"bank/account/{account}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Insufficient funds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ShowHandlerFailures_the_problem_also_names_the_last_failure()
    {
        await using var server = await StartAsync(o => o.ShowHandlerFailures = true);

        using var response = await server.Http.PostAsync($"/app/{NewAccount()}/withdraw", content: null);

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "InvalidOperationException: Insufficient funds: the balance is 0, the withdrawal 5.");
    }

    [Fact]
    public async Task An_ask_without_a_reply_in_time_is_a_504_problem_and_its_message_is_still_handled()
    {
        await using var server = await StartAsync();
        var account = NewAccount();

        using var response = await server.Http.PostAsync($"/app/{account}/deposit-slowly", content: null);

        var problem = await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "The message was accepted and will still be handled.");
        Assert.Equal("No reply in time", problem.GetProperty("title").GetString());
        Assert.Contains($"bank/account/{account}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await server.Runtime.WhenIdleAsync();
        Assert.Equal(1m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_another_message_is_a_409_problem_naming_the_key_and_not_the_types()
    {
        await using var server = await StartAsync();
        var (account, key) = (NewAccount(), "key-" + Guid.NewGuid().ToString("N"));
        using var first = await server.Http.PostAsync($"/app/{account}/deposit/{key}", content: null);
        first.EnsureSuccessStatusCode();

        using var response = await server.Http.PostAsync($"/app/{account}/withdraw/{key}", content: null);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, $"Idempotency key '{key}'");
        Assert.Equal(key, problem.GetProperty("idempotencyKey").GetString());
        Assert.DoesNotContain(nameof(WithdrawStrictly), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1m, await server.BalanceAsync(account));
    }

    [Fact]
    public async Task Any_other_exception_is_left_to_the_next_handler()
    {
        await using var server = await StartAsync();

        using var response = await server.Http.GetAsync("/app/own-timeout");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("No reply in time", text, StringComparison.Ordinal);
        Assert.DoesNotContain("The application's own timeout.", text, StringComparison.Ordinal);
    }
}

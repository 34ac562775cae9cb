using System.Net.Http.Json;
using Banking;
using Banking.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefulFunctions.AspNetCore;

// The bank over HTTP: balances are typed asks, a transfer is an ask of a function that asks the accounts in turn.
// Without arguments it opens three accounts, makes three transfers through its own HTTP API, prints what it got and
// exits; with --serve it keeps serving on --urls (default http://127.0.0.1:5090).
var serve = args.Contains("--serve");
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? (serve ? "http://127.0.0.1:5090" : "http://127.0.0.1:0"));
builder.Services.AddStatefulFunctions(sf => sf
    .UseLiteDb("data/bank.db")
    .AddModule<BankModule>());

// What an ask below throws is answered as a problem: a dead-lettered message 500 naming the dead letter, no reply in
// time 504, a deposit id reused for another amount 409.
builder.Services.AddStatefulFunctionsExceptionHandler();

await using var app = builder.Build();
app.UseExceptionHandler();

// GET /accounts/ada: the balance, a typed ask (a Task<decimal>, no cast).
app.MapGet("/accounts/{id}", async (string id, IStatefulFunctionsClient client) =>
    Results.Ok(new { account = id, balance = await client.AskAsync(Account.At(id), new GetBalance()) }));

// POST /accounts/ada/deposits {"amount": 100, "depositId": "d1"}: once per deposit id.
app.MapPost("/accounts/{id}/deposits", async (string id, DepositBody body, IStatefulFunctionsClient client) =>
    Results.Ok(new { account = id, balance = await client.AskAsync(Account.At(id), new Deposit(body.Amount), idempotencyKey: body.DepositId) }));

// POST /accounts/carol/close
app.MapPost("/accounts/{id}/close", async (string id, IStatefulFunctionsClient client) =>
    Results.Ok(new { account = id, balance = await client.AskAsync(Account.At(id), new Close()) }));

// POST /transfers {"id": "t1", "from": "ada", "to": "bob", "amount": 30}: answered when the transfer ends (or its
// deadline passes); a retry with the same id gets the same answer and moves nothing again.
app.MapPost("/transfers", async (TransferBody body, IStatefulFunctionsClient client) =>
    Results.Ok(await client.AskAsync(Transfer.At(body.Id), new StartTransfer(body.From, body.To, body.Amount), Transfer.Deadline + TimeSpan.FromSeconds(5), body.Id)));

// GET /transfers/t1: how it ended (null while it runs).
app.MapGet("/transfers/{id}", async (string id, IStatefulFunctionsClient client) =>
    Results.Ok(await client.AskAsync(Transfer.At(id), new GetTransfer())));

await app.StartAsync();
if (serve)
{
    Console.WriteLine($"The bank serves on {string.Join(", ", app.Urls)}; Ctrl+C stops it.");
    await app.WaitForShutdownAsync();
    return;
}

using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
await PostOnly("/accounts/ada/deposits", new DepositBody(100, "ada-opening"));
await PostOnly("/accounts/bob/deposits", new DepositBody(50, "bob-opening"));
await PostOnly("/accounts/carol/deposits", new DepositBody(0, "carol-opening"));
await PostOnly("/accounts/carol/close", new { });

foreach (var transfer in new[]
{
    new TransferBody("t1", "ada", "bob", 30),
    new TransferBody("t2", "bob", "ada", 500),
    new TransferBody("t3", "ada", "carol", 10),
    new TransferBody("t1", "ada", "bob", 30), // a retry: answered again, not moved again
})
{
    var result = await PostFor<TransferResult>("/transfers", transfer);
    Console.WriteLine($"{transfer.Id}: {result.Outcome} ({result.Detail})");
}

foreach (var account in new[] { "ada", "bob", "carol" })
{
    var balance = await http.GetFromJsonAsync<BalanceBody>($"/accounts/{account}");
    Console.WriteLine($"{account}: {balance!.Balance}");
}

await app.StopAsync();
Console.WriteLine("The accounts are kept in data/bank.db; delete it to open them again.");

async Task PostOnly(string path, object body) => (await http.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode();

async Task<T> PostFor<T>(string path, object body)
{
    var response = await http.PostAsJsonAsync(path, body);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<T>())!;
}

/// <summary>The body of a deposit.</summary>
internal sealed record DepositBody(decimal Amount, string DepositId);

/// <summary>The body of a transfer.</summary>
internal sealed record TransferBody(string Id, string From, string To, decimal Amount);

/// <summary>An account's balance as GET /accounts/{id} answers it.</summary>
internal sealed record BalanceBody(string Account, decimal Balance);

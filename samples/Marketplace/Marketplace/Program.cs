using System.Globalization;
using Marketplace.Orders;
using Marketplace.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefulFunctions;

// One application made of two teams' modules, each from its own assembly: orders charge the customers' wallets
// in payments, and payments answers the orders.
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddStatefulFunctions(sf => sf
    .UseInMemoryStorage()          // every run starts with empty wallets; UseLiteDb("data/marketplace.db") would keep them
    .AddModule<OrdersModule>()     // Marketplace.Orders.dll: the order function and the egress of order updates
    .AddModule<PaymentsModule>()); // Marketplace.Payments.dll: the wallet function

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
var runtime = host.Services.GetRequiredService<StatefulFunctionsRuntime>();

// Order updates are read from the orders module's egress; each step below waits for the update it causes, so
// the charges reach the wallets in the order the customers placed them.
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using var updates = client.ReadEgressAsync(OrdersModule.Updates, deadline.Token).GetAsyncEnumerator(deadline.Token);
var counts = new Dictionary<OrderStatus, int>();
var placed = 0;
var timeout = TimeSpan.FromSeconds(10);

Console.WriteLine("Marketplace: an orders module and a payments module, from two assemblies");
await DepositAsync("ada", 100.00m);
await DepositAsync("bob", 20.00m);
await PlaceAsync("order-1", "ada", "lamp", 30.00m);
await PlaceAsync("order-2", "ada", "book", 12.50m);
await PlaceAsync("order-3", "bob", "lamp", 30.00m); // Bob has 20.00: declined
await PlaceAsync("order-4", "bob", "mug", 8.00m);
await PlaceAsync("order-5", "ada", "desk", 80.00m); // Ada has 57.50 left: declined
await client.SendAsync(Order.At("order-1"), new CancelOrder());
await NextUpdateAsync(); // the refund, once payments has given the money back

var ada = await client.AskAsync<decimal>((Address)Wallet.At("ada"), new GetBalance(), timeout);
var bob = await client.AskAsync<decimal>((Address)Wallet.At("bob"), new GetBalance(), timeout);
await runtime.WhenIdleAsync();
var messages = runtime.MessagesHandled;
await host.StopAsync();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    Summary
      orders placed      {placed,8}
      orders paid        {counts.GetValueOrDefault(OrderStatus.Paid),8}
      orders declined    {counts.GetValueOrDefault(OrderStatus.Declined),8}
      orders refunded    {counts.GetValueOrDefault(OrderStatus.Refunded),8}
      wallet ada         {ada,8:0.00}
      wallet bob         {bob,8:0.00}
      messages handled   {messages,8}
    """));
return 0;

async Task DepositAsync(string customer, decimal amount)
{
    var balance = await client.AskAsync<decimal>((Address)Wallet.At(customer), new Deposit(amount), timeout);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  deposit  {customer,-5} {"",-5} {amount,6:0.00}  {"",-8}  wallet {balance,6:0.00}"));
}

async Task PlaceAsync(string orderId, string customer, string item, decimal amount)
{
    placed++;
    await client.SendAsync(Order.At(orderId), new PlaceOrder(customer, item, amount));
    await NextUpdateAsync();
}

async Task NextUpdateAsync()
{
    if (!await updates.MoveNextAsync())
    {
        throw new InvalidOperationException("The egress of order updates ended early.");
    }

    var update = updates.Current;
    counts[update.Status] = counts.GetValueOrDefault(update.Status) + 1;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {update.OrderId}  {update.CustomerId,-5} {update.Item,-5} {update.Amount,6:0.00}  {update.Status.ToString().ToLowerInvariant(),-8}  wallet {update.Balance,6:0.00}"));
}

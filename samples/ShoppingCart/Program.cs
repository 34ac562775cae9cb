using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShoppingCart;
using ShoppingCart.Functions;
using ShoppingCart.Ingress;
using StatefulFunctions;

// Six shoppers in a shop with three items. The shop's clock is one the sample can fast-forward, so carts can
// expire (30 minutes after the shopper's last call) without waiting half an hour.
var clock = new ShopClock();
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<TimeProvider>(clock); // the runtime takes its time from the application's TimeProvider
builder.Services.AddStatefulFunctions(sf => sf
    .UseInMemoryStorage() // every run starts from the same shelves; UseLiteDb("data/shop.db") would keep them
    .AddModule<ShopModule>());

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
var runtime = host.Services.GetRequiredService<StatefulFunctionsRuntime>();

// The checkout results are read from the egress as the outside world would; each checkout below waits for its own.
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using var results = client.ReadEgressAsync(ShopModule.CheckoutResults, deadline.Token).GetAsyncEnumerator(deadline.Token);
var tally = new CheckoutTally();
string[] items = ["book", "lamp", "mug"];

Console.WriteLine($"Shopping cart: 6 shoppers, {items.Length} items, carts expire {TimeSpan.Parse(UserSession.CartTimeToLive, CultureInfo.InvariantCulture).TotalMinutes} minutes after a shopper's last call");
await client.SendAsync(Inventory.At("book"), new Restock(8, 12.50m));
await client.SendAsync(Inventory.At("lamp"), new Restock(1, 30.00m));
await client.SendAsync(Inventory.At("mug"), new Restock(2, 8.00m));
await runtime.WhenIdleAsync(); // the shelves are stocked before anyone checks out

// Erin and Frank fill their carts, then wander off.
await AddAsync("erin", "book", 1);
await AddAsync("frank", "book", 1);

await AddAsync("ada", "book", 2);
await AddAsync("ada", "mug", 1);
await CheckoutAsync("ada");

await AddAsync("bob", "lamp", 1);
await AddAsync("bob", "mug", 1);
await CheckoutAsync("bob");

// The last lamp went to Bob: Carol's checkout is refused, and the book it had reserved goes back on the shelf...
await AddAsync("carol", "lamp", 1);
await AddAsync("carol", "book", 1);
await CheckoutAsync("carol");

// ...so that Dave can have three.
await AddAsync("dave", "book", 3);
await CheckoutAsync("dave");

await PassAsync(TimeSpan.FromMinutes(20));
await AddAsync("frank", "book", 1); // Frank comes back: his cart lives another 30 minutes from now
Console.WriteLine($"  {ShopTime()}  frank    adds a book to his cart");

await PassAsync(TimeSpan.FromMinutes(20));
await CheckoutAsync("erin");  // 40 minutes since Erin's last call: her cart has expired
await CheckoutAsync("frank"); // 20 minutes since Frank's

var stock = new List<string>();
foreach (var item in items)
{
    stock.Add($"{item} {await client.AskAsync<int>((Address)Inventory.At(item), new GetStock(), TimeSpan.FromSeconds(10))}");
}

await host.StopAsync();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    Summary
      checkouts                {tally.Checkouts,8}
      receipts                 {tally.Count(CheckoutStatus.Completed),8}
      refused, out of stock    {tally.Count(CheckoutStatus.OutOfStock),8}
      refused, cart expired    {tally.Count(CheckoutStatus.CartExpired),8}
      revenue                  {tally.Revenue,8:0.00}
      stock left               {string.Join(", ", stock)}
    """));
return 0;

Task AddAsync(string user, string item, int quantity) =>
    client.IngestAsync<ShopperEvent>(ShopModule.ShopperEvents, new AddToCartClicked(user, item, quantity)).AsTask();

async Task CheckoutAsync(string user)
{
    await client.IngestAsync<ShopperEvent>(ShopModule.ShopperEvents, new CheckoutClicked(user));
    if (!await results.MoveNextAsync())
    {
        throw new InvalidOperationException($"The egress ended before {user}'s checkout result arrived.");
    }

    // The result is out once every inventory has answered; the units a refused checkout puts back may still be on
    // their way, and the next shopper should find them on the shelf.
    await runtime.WhenIdleAsync();
    var result = results.Current;
    tally.Add(result);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ShopTime()}  {result.CheckoutId,-8} {Describe(result)}"));
}

// Shop time since the start, as h:mm.
string ShopTime() => string.Create(CultureInfo.InvariantCulture, $"{(int)clock.Elapsed.TotalHours}:{clock.Elapsed.Minutes:00}");

// Lets shop time pass once everything sent so far has been handled (so it happened before, not after).
async Task PassAsync(TimeSpan time)
{
    await runtime.WhenIdleAsync();
    clock.FastForward(time);
    Console.WriteLine($"  ... {time.TotalMinutes} minutes pass");
}

static string Describe(CheckoutResult result) => result.Status switch
{
    CheckoutStatus.Completed => string.Create(CultureInfo.InvariantCulture,
        $"receipt: {string.Join(", ", result.Lines.Select(line => $"{line.Quantity} x {line.Item}"))} = {result.Total:0.00}"),
    CheckoutStatus.OutOfStock => $"refused: out of stock ({string.Join(", ", result.Unavailable)})",
    CheckoutStatus.CartExpired => "refused: cart expired",
    CheckoutStatus.CartEmpty => "refused: cart empty",
    _ => $"refused: {result.Status}",
};

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RideSharing;
using RideSharing.Ingress;
using StatefulFunctions;

if (args.Contains(HttpMode.Switch))
{
    return await HttpMode.RunAsync(args);
}

if (args.Contains(FlinkMode.Switch))
{
    return await FlinkMode.RunAsync(args);
}

// A small city: 200 drivers and 1,000 passengers on a 10 × 10 grid request 2,000 rides.
var city = new CitySimulation(gridSize: 10, drivers: 200, passengers: 1_000, rides: 2_000, seed: 42);

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddStatefulFunctions(sf => sf
    .UseLiteDb("data/rides.db") // durable: run it again and the same city carries on
    .AddModule(new RidesModule(city)));

using var host = builder.Build();
var stopwatch = Stopwatch.StartNew();
await host.StartAsync();

// Read the egress of ride events until every ride requested in this run has ended (or a deadline passes),
// acknowledging each record so that the next run does not see it again.
var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
var tally = new RideTally();
var acknowledgements = new List<Task>();
using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
{
    try
    {
        await foreach (var record in client.ReadEgressRecordsAsync(RidesModule.RideEvents, deadline.Token))
        {
            tally.Add(record.Value);
            acknowledgements.Add(client.AcknowledgeEgressAsync(RidesModule.RideEvents, record.Id).AsTask());
            if (tally.Ended == city.Rides)
            {
                break;
            }
        }
    }
    catch (OperationCanceledException)
    {
        Console.Error.WriteLine($"Deadline passed with {city.Rides - tally.Ended} ride(s) still open.");
    }
}

await Task.WhenAll(acknowledgements);
stopwatch.Stop();
var runtime = host.Services.GetRequiredService<StatefulFunctionsRuntime>();
var messages = runtime.MessagesHandled;
await host.StopAsync();

var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    Ride sharing: 200 drivers, 1,000 passengers, 10 x 10 city
      rides requested   {tally.Requested,8:N0}
      rides matched     {tally.Matched,8:N0}
      rides completed   {tally.Completed,8:N0}
      rides cancelled   {tally.Cancelled,8:N0}   (no free driver within 3 s)
      messages handled  {messages,8:N0}
      elapsed           {seconds,8:N2} s
      throughput        {messages / seconds,8:N0} messages/s
    """));

return tally.Ended == city.Rides && tally.Requested == city.Rides ? 0 : 1;

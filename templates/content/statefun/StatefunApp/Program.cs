using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefulFunctions;
using StatefunApp;

// Usage: dotnet run -- Ada Grace Ada
string[] names = args.Length > 0 ? args : ["World"];

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddStatefulFunctions(sf => sf
#if (storage == "memory")
    .UseInMemoryStorage() // state lives as long as the process
#else
    .UseLiteDb("data/StatefunApp.db") // durable: run it again and the visitors are remembered
#endif
    .AddModule(new VisitorsModule(names)));

using var host = builder.Build();
await host.StartAsync();

#if (storage == "memory")
// Greetings leave through the egress; each is acknowledged once printed.
#else
// Greetings leave through the egress. Each is acknowledged once printed, so it is never shown twice;
// one not yet shown when the application stops is shown by the next run.
#endif
var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
var shown = 0;
try
{
    await foreach (var record in client.ReadEgressRecordsAsync(VisitorsModule.Greetings, stopping))
    {
        Console.WriteLine($"Hello {record.Value.Name}, visit number {record.Value.Visits}");
        await client.AcknowledgeEgressAsync(VisitorsModule.Greetings, record.Id, stopping);
        if (++shown == names.Length)
        {
            break;
        }
    }
}
catch (OperationCanceledException)
{
    // Ctrl+C: stop below.
}

await host.StopAsync();

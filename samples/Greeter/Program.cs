using Greetings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefulFunctions;

// Greets everyone named on the command line, or Ada, Grace and Ada again when nobody is.
string[] names = args.Length > 0 ? args : ["Ada", "Grace", "Ada"];

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddStatefulFunctions(sf => sf
    .UseLiteDb("data/greeter.db") // durable: run it again and the counts carry on
    .AddModule<GreeterModule>());

using var host = builder.Build();
await host.StartAsync();

var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
foreach (var name in names)
{
    // The address is the function type plus an id: one instance, with its own count, per name.
    // Typed by the message: Greet is an IAsk<string>, so this is a string, and it only compiles for what Greeter answers.
    var greeting = await client.AskAsync(Greeter.At(name), new Greet(name), TimeSpan.FromSeconds(10));
    Console.WriteLine(greeting);
}

await host.StopAsync();
Console.WriteLine($"{names.Length} greeting(s); the counts are kept in data/greeter.db");

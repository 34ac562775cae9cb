using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.CrashHost;

/// <summary>
/// The host of the stop tests: an application on the generic host (console logging, LiteDB), as a user deploys one.
/// It handles a message, then, with <c>failStorage</c>, has its durable storage fail (through the runtime's test seam:
/// every append throws) and prints the refusal of the next send; prints <c>ready</c> and
/// runs until the host stops (SIGTERM), then prints <c>stopped</c> and exits with 0.
/// </summary>
public static class StopHost
{
    public static async Task<int> RunAsync(string db, bool failStorage)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddStatefulFunctions(sf => sf.UseLiteDb(db).AddModule<CrashModule>());
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<StatefulFunctionsRuntime>();
        var counter = (Address)Counter.At("stop");
        await runtime.Client.SendAsync(counter, new Add(1));
        if (failStorage)
        {
            runtime.Faults = new StorageFaults { BeforeAppend = () => throw new IOException("injected: the disk is gone") };
            try
            {
                await runtime.Client.SendAsync(counter, new Add(1));
                Console.WriteLine("accepted after the failure");
            }
            catch (InvalidOperationException exception)
            {
                Console.WriteLine($"refused: {exception.Message}");
            }
        }

        Console.WriteLine("ready");
        await host.WaitForShutdownAsync();
        Console.WriteLine("stopped");
        return 0;
    }
}

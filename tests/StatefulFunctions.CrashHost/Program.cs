using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using StatefulFunctions;
using StatefulFunctions.CrashHost;

// The child process of the crash tests: runs the seeded workload against a LiteDB file, printing what became
// durable, until it is killed (SIGKILL) or the workload is done.
// Usage: --db PATH --seed N --commands N [--pause-ms N] (a pause between windows, so a killer can keep up)
//    or: --mode stop --db PATH [--fail-storage true] (a generic host that waits for SIGTERM; see StopHost)
//    or: --mode keyed --db PATH --counters N --ack-delay-ms N --keys-in-memory N (keyed sends and asks read from standard input; see KeyedHost)
//    or: --mode bank --db PATH (the bank sample's accounts and transfers, asked from standard input; see BankHost)
var options = args.Select((value, i) => (value, i)).Where(a => a.value.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(a => a.value[2..], a => args[a.i + 1], StringComparer.Ordinal);
if (options.TryGetValue("mode", out var stopMode) && stopMode == "stop")
{
    Environment.ExitCode = await StopHost.RunAsync(options["db"], options.TryGetValue("fail-storage", out var fail) && fail == "true");
    return;
}

if (options.TryGetValue("mode", out var bankMode) && bankMode == "bank")
{
    await BankHost.RunAsync(options["db"]);
    return;
}

if (options.TryGetValue("mode", out var mode) && mode == "keyed")
{
    await KeyedHost.RunAsync(
        options["db"],
        int.Parse(options["counters"], CultureInfo.InvariantCulture),
        int.Parse(options["ack-delay-ms"], CultureInfo.InvariantCulture),
        int.Parse(options["keys-in-memory"], CultureInfo.InvariantCulture));
    return;
}

var commands = Workload.Create(int.Parse(options["seed"], CultureInfo.InvariantCulture), int.Parse(options["commands"], CultureInfo.InvariantCulture));
Source.Use(commands);

await using var services = DurableServices.Open(options["db"]);
var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();
await runtime.StartAsync();
var source = (Address)Source.At("main");

// The egress consumer: prints each record it gets, acknowledges it, and prints that the acknowledgement is durable.
var endMarker = $"end-{Guid.NewGuid():N}";
var consumerDone = new TaskCompletionSource();
var consumer = Task.Run(async () =>
{
    await foreach (var record in runtime.Client.ReadEgressRecordsAsync(CrashModule.Events))
    {
        Console.WriteLine($"egress {record.Id} {record.Value}");
        await runtime.Client.AcknowledgeEgressAsync(CrashModule.Events, record.Id);
        Console.WriteLine($"acked {record.Id}");
        if (record.Value == endMarker)
        {
            consumerDone.TrySetResult();
        }
    }
});

// Commands already applied are skipped by the source itself; resume from the first one it has not applied.
var next = await runtime.Client.AskAsync<long>(source, new GetNext(), TimeSpan.FromMinutes(1));
Console.WriteLine($"resume {next}");

var pause = options.TryGetValue("pause-ms", out var pauseText) ? int.Parse(pauseText, CultureInfo.InvariantCulture) : 0;
const int Window = 64;
for (var start = next; start < commands.Count; start += Window)
{
    var end = Math.Min(start + Window, commands.Count);
    var sends = new List<Task>();
    for (var i = start; i < end; i++)
    {
        sends.Add(runtime.Client.SendAsync(source, new Command(i)).AsTask());
    }

    await Task.WhenAll(sends);
    Console.WriteLine($"accepted {end - 1}");
    if (pause > 0)
    {
        await Task.Delay(pause);
    }
}

// Drain: every command applied, every short delayed message fired (the longest delay is 400 ms).
while (await runtime.Client.AskAsync<long>(source, new GetNext(), TimeSpan.FromMinutes(1)) < commands.Count)
{
    await Task.Delay(50);
}

await runtime.WhenIdleAsync();
await Task.Delay(600);
await runtime.WhenIdleAsync();

// Egress records come out in commit order: when the marker is read, every earlier record has been.
await runtime.Client.SendAsync(source, new EmitMarker(endMarker));
await consumerDone.Task.WaitAsync(TimeSpan.FromMinutes(1));
for (var c = 0; c < Workload.Counters; c++)
{
    var value = await runtime.Client.AskAsync<long>((Address)Counter.At(Workload.CounterId(c)), new GetValue(), TimeSpan.FromMinutes(1));
    Console.WriteLine($"counter {Workload.CounterId(c)} {value}");
}

Console.WriteLine("done");
await runtime.StopAsync();

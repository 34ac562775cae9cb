using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace StatefulFunctions.CrashHost;

/// <summary>
/// The host of the idempotent-ingress crash test: the client is the test process, outside, so it survives the kills.
/// It writes one command per line to standard input, and the host runs each without waiting for the previous one:
/// <c>send KEY COUNTER DELAY</c> adds 1 to the counter with the idempotency key, its handler taking DELAY ms (prints
/// <c>accepted KEY</c> once it is durable, for the test's information, and <c>acked KEY</c>, the acknowledgement to the
/// client, after that), <c>ask KEY COUNTER DELAY</c> does the same as an ask for the new value (prints
/// <c>replied KEY VALUE</c>), <c>finish</c> waits for
/// everything, prints <c>counter ID VALUE</c> for every counter, then, once the dedup records are within their limit
/// (or after a minute), <c>dedup records in memory N spilled M</c>, then <c>done</c>, and exits.
/// Each acknowledgement is printed after a random delay of up to <c>ackDelayMs</c>, as if it travelled over a network:
/// a kill then finds messages that are accepted (durable) but whose acknowledgement the client never got.
/// At most <c>keysInMemory</c> dedup records stay in memory (a checkpoint at least every 200 ms): the rest are found in
/// the checkpoint store.
/// </summary>
public static class KeyedHost
{
    public static async Task RunAsync(string db, int counters, int ackDelayMs, int keysInMemory)
    {
        await using var services = DurableServices.Open(db, o => o.IdempotencyKeysInMemory = keysInMemory);
        var runtime = services.GetRequiredService<StatefulFunctionsRuntime>();

        // Checkpoints often, so that records leave memory within each run and kills land around checkpoints too.
        runtime.Faults = new Runtime.StorageFaults { CheckpointInterval = TimeSpan.FromMilliseconds(200) };
        await runtime.StartAsync();
        Console.WriteLine("ready");

        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts)
            {
                case ["send", var key, var counter, var delay]:
                    running.Add(SendAsync(runtime.Client, key, counter, new AddSlowly(1, int.Parse(delay, CultureInfo.InvariantCulture)), ackDelayMs));
                    break;
                case ["ask", var key, var counter, var delay]:
                    running.Add(AskAsync(runtime.Client, key, counter, new AddSlowly(1, int.Parse(delay, CultureInfo.InvariantCulture)), ackDelayMs));
                    break;
                case ["finish"]:
                    await Task.WhenAll(running);
                    await runtime.WhenIdleAsync();
                    for (var c = 0; c < counters; c++)
                    {
                        var id = Workload.CounterId(c);
                        var value = await runtime.Client.AskAsync<long>((Address)Counter.At(id), new GetValue(), TimeSpan.FromMinutes(1));
                        Console.WriteLine($"counter {id} {value}");
                    }

                    // Records leave memory once a checkpoint holds their outcome, and a checkpoint follows a commit:
                    // ask (a commit each) until they have, or a minute has passed.
                    var settling = System.Diagnostics.Stopwatch.StartNew();
                    while (runtime.Idempotency.Count > keysInMemory && settling.Elapsed < TimeSpan.FromMinutes(1))
                    {
                        await runtime.Client.AskAsync<long>((Address)Counter.At(Workload.CounterId(0)), new GetValue(), TimeSpan.FromMinutes(1));
                        await Task.Delay(50);
                    }

                    Console.WriteLine($"dedup records in memory {runtime.Idempotency.Count} spilled {runtime.Idempotency.Spilled}");
                    Console.WriteLine("done");
                    return;
                default:
                    throw new InvalidOperationException($"Unknown command '{line}'.");
            }
        }
    }

    private static async Task SendAsync(IStatefulFunctionsClient client, string key, string counter, AddSlowly message, int ackDelayMs)
    {
        await client.SendAsync(Counter.At(counter), message, key);
        Console.WriteLine($"accepted {key}"); // the host's own log: durable now, whether or not the client hears of it
        await DelayAsync(ackDelayMs);
        Console.WriteLine($"acked {key}");
    }

    private static async Task AskAsync(IStatefulFunctionsClient client, string key, string counter, AddSlowly message, int ackDelayMs)
    {
        var value = await client.AskAsync<long>((Address)Counter.At(counter), message, TimeSpan.FromMinutes(1), key);
        await DelayAsync(ackDelayMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replied {key} {value}"));
    }

#pragma warning disable CA5394 // not security relevant: the jitter of a test
    private static Task DelayAsync(int maxMs) => maxMs > 0 ? Task.Delay(Random.Shared.Next(0, maxMs)) : Task.CompletedTask;
#pragma warning restore CA5394
}

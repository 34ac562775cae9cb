using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Benchmarks.Functions;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// The HTTP ingress under load: 64 concurrent clients on loopback POST one-way increments as JSON to
/// <c>/functions/bench/counter/{id}</c> of a real Kestrel server; each answer (202) means the message is accepted
/// (durable with LiteDB). Messages/s counts answered requests; latencies are the clients' request round trips.
/// </summary>
internal sealed partial record Scenario
{
    private const int HttpClients = 64;

    private static Scenario Http(string name, bool durable) =>
        new(name, 256L << 20, async (messages, shards) =>
        {
            var requests = Math.Min(messages, 100_000);
            var folder = Directory.CreateTempSubdirectory("sf-bench-http-");
            try
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Services.AddStatefulFunctions(sf =>
                {
                    sf.AddModule<BenchModule>().Configure(o => o.ShardCount = shards);
                    if (durable)
                    {
                        sf.UseLiteDb(Path.Combine(folder.FullName, "bench.db"));
                    }
                });
                await using var app = builder.Build();
                app.MapStatefulFunctions("/functions");
                await app.StartAsync();
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                var runtime = app.Services.GetRequiredService<StatefulFunctionsRuntime>();

                BenchStats.Reset();
                using var latency = new LatencyHistogram();
                var elapsed = await DriveClientsAsync(address, requests, latency, async (http, i, sent) =>
                {
                    using var content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"sentAt\":{sent}}}"), Encoding.UTF8);
                    content.Headers.ContentType = new("application/vnd.statefulfunctions.benchmarks.increment+json");
                    using var response = await http.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/functions/bench/counter/c{i % 10_000}"), content);
                    Check(response.StatusCode == HttpStatusCode.Accepted, $"request {i} answered {(int)response.StatusCode}");
                });
                await runtime.WhenIdleAsync();
                Check(BenchStats.Handled == requests, $"handled {BenchStats.Handled} increments, {requests} requests accepted");
                var result = new RunResult(requests / elapsed.TotalSeconds, latency.PercentileMicroseconds(50), latency.PercentileMicroseconds(99), ReadRssMegabytes());
                await app.StopAsync();
                return result;
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });

    /// <summary>
    /// Sends <paramref name="requests"/> requests from <see cref="HttpClients"/> concurrent clients, recording each
    /// round trip (from the timestamp passed to <paramref name="send"/>); returns the time they all took.
    /// </summary>
    private static async Task<TimeSpan> DriveClientsAsync(string address, int requests, LatencyHistogram latency, Func<HttpClient, int, long, Task> send)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = HttpClients }) { BaseAddress = new Uri(address) };
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, HttpClients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var sent = Stopwatch.GetTimestamp();
                await send(http, i, sent);
                latency.Record(Stopwatch.GetTimestamp() - sent);
            }
        }));
        return Stopwatch.GetElapsedTime(started);
    }
}
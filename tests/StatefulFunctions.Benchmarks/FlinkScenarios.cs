using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using MemoryPack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Benchmarks.Functions;
using StatefulFunctions.Flink;
using StatefulFunctions.Flink.Protocol;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// The Flink StateFun remote endpoint under load: 64 concurrent clients on loopback POST invocation batches to
/// <c>/statefun</c> of a real Kestrel server as a StateFun cluster does, each for one of 10,000 counters with its
/// state attached, and check that each answer is one state mutation. Messages/s counts invocations handled (the
/// batch size times the answered requests); latencies are request round trips.
/// </summary>
internal sealed partial record Scenario
{
    private static Scenario FlinkRemote(string name, int batchSize) =>
        new(name, 0, async (messages, _) =>
        {
            var requests = Math.Min(messages / batchSize, 100_000);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddStatefulFunctionsRemote(sf => sf.AddModule<BenchModule>());
            await using var app = builder.Build();
            app.MapStatefulFunctionsRemote("/statefun");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

            BenchStats.Reset();
            using var latency = new LatencyHistogram();
            var elapsed = await DriveClientsAsync(address, requests, latency, async (http, i, sent) =>
            {
                var batch = new ToFunction.Types.InvocationBatchRequest
                {
                    Target = new StatefulFunctions.Flink.Protocol.Address { Namespace = "bench", Type = "counter", Id = string.Create(CultureInfo.InvariantCulture, $"c{i % 10_000}") },
                    State = { new ToFunction.Types.PersistedValue { StateName = "count", StateValue = Int(i / 10_000) } },
                };
                for (var n = 0; n < batchSize; n++)
                {
                    batch.Invocations.Add(new ToFunction.Types.Invocation { Argument = IncrementAt(sent) });
                }

                using var content = new ByteArrayContent(new ToFunction { Invocation = batch }.ToByteArray());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync("/statefun", content);
                Check(response.IsSuccessStatusCode, $"request {i} answered {(int)response.StatusCode}");
                var answer = FromFunction.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
                Check(answer.InvocationResult?.StateMutations.Count == 1, $"request {i}: expected one state mutation, got {answer}");
            });
            Check(BenchStats.Handled == (long)requests * batchSize, $"handled {BenchStats.Handled} increments, {requests * batchSize} sent");
            var result = new RunResult(requests * batchSize / elapsed.TotalSeconds, latency.PercentileMicroseconds(50), latency.PercentileMicroseconds(99), ReadRssMegabytes());
            await app.StopAsync();
            return result;
        });

    private static TypedValue Int(int value) =>
        new() { Typename = BuiltInTypes.Int, HasValue = true, Value = ByteString.CopyFrom(BuiltInTypes.Encode(value)) };

    private static TypedValue IncrementAt(long sentAt) => new()
    {
        Typename = typeof(Increment).FullName!,
        HasValue = true,
        Value = ByteString.CopyFrom(MemoryPackSerializer.Serialize(new Increment(sentAt))),
    };
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StatefulFunctions.Samples.Tests;

/// <summary>The ride-sharing sample's HTTP mode, driven the way its README's curl commands drive it.</summary>
public sealed partial class RideSharingHttpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-rides-http-").FullName;

    [Fact]
    public async Task In_http_mode_a_driver_and_a_ride_request_over_http_produce_ride_events_read_by_long_poll()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var metricsPort = FreePort();
        await using var sample = await SampleServer.StartAsync("RideSharing", _folder, ListeningOn(), deadline.Token, "--http", "--urls", "http://127.0.0.1:0", "--metrics-url", $"http://127.0.0.1:{metricsPort}");
        using var http = new HttpClient { BaseAddress = new Uri(sample.Address + "/") };

        using var driver = await http.PostAsync("rides/driver/seth", Body("""{"cell":"3:4"}""", "application/vnd.rides.location-updated+json"), deadline.Token);
        Assert.Equal(HttpStatusCode.Accepted, driver.StatusCode);

        // The functions' own messages are not open to clients: a phantom driver cannot join a cell, and the answer
        // is the one for a message type that does not exist.
        using var phantomContent = Body("""{"driverId":"phantom"}""", "application/json");
        phantomContent.Headers.Add("Message-Type", "RideSharing.JoinCell");
        using var phantom = await http.PostAsync("rides/geo-cell/3:4", phantomContent, deadline.Token);
        Assert.Equal(HttpStatusCode.NotFound, phantom.StatusCode);
        var phantomDetail = await phantom.Content.ReadAsStringAsync(deadline.Token);
        Assert.Contains("No function type 'rides/geo-cell' takes messages over HTTP", phantomDetail, StringComparison.Ordinal);

        using var ride = await http.PostAsync("ingress/ride-requests", Body("""{"passengerId":"ada","fromCell":"3:4","toCell":"5:5"}""", "application/json"), deadline.Token);
        Assert.Equal(HttpStatusCode.Accepted, ride.StatusCode);
        using var refused = await http.PostAsync("ingress/ride-requests", Body("""{"passengerId":"ada"}""", "application/json"), deadline.Token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // Long-poll until the ride has ended, acknowledging what was read with ?after=.
        var kinds = new List<string>();
        long after = 0;
        while (!kinds.Contains("completed") && !kinds.Contains("cancelled"))
        {
            using var batch = JsonDocument.Parse(await http.GetStringAsync($"egress/rides/events?wait=5&after={after}", deadline.Token));
            foreach (var record in batch.RootElement.GetProperty("records").EnumerateArray())
            {
                after = record.GetProperty("id").GetInt64();
                var value = record.GetProperty("value");
                Assert.Equal("ada", value.GetProperty("passengerId").GetString());
                kinds.Add(value.GetProperty("kind").GetString()!);
            }
        }

        Assert.Equal(["requested", "matched", "completed"], kinds);

        // OpenTelemetry's Prometheus endpoint shows the runtime's meter without any code in the functions.
        // On the metrics port only: the API's port does not show them.
        using (var onApiPort = await http.GetAsync("/metrics", deadline.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
        }

        var metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics", deadline.Token);
        Assert.Matches(@"statefulfunctions_messages_handled_total\{[^}]*function_type=""rides/ride""[^}]*\} [1-9]", metrics);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static StringContent Body(string json, string contentType)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    [GeneratedRegex(@"on (http://127\.0\.0\.1:\d+/rides)")]
    private static partial Regex ListeningOn();
}

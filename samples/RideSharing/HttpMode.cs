using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RideSharing.Functions;
using StatefulFunctions;
using StatefulFunctions.AspNetCore;

namespace RideSharing;

/// <summary>
/// <c>dotnet run --project samples/RideSharing -- --http</c>: the same functions serving HTTP instead of simulating a
/// city — send to any function, ask, request rides through a routed HTTP ingress, read ride events (see README).
/// </summary>
internal static class HttpMode
{
    public const string Switch = "--http";

    public static async Task<int> RunAsync(string[] args)
    {
        // Metrics on a port of their own (--metrics-url, default http://127.0.0.1:9464): what the functions do is not
        // for the clients of the API to read, and the port can stay inside the network Prometheus scrapes from.
        var metricsUrl = new Uri(ValueOf(args, "--metrics-url") ?? "http://127.0.0.1:9464");
        if (metricsUrl.IsDefaultPort || metricsUrl.Port == 0)
        {
            Console.Error.WriteLine($"--metrics-url needs a port of its own, as in http://127.0.0.1:9464, not '{metricsUrl}'.");
            return 2;
        }

        var builder = WebModes.CreateBuilder(args, Switch, "http://127.0.0.1:5080", metricsUrl.GetLeftPart(UriPartial.Authority));

        // Metrics of the runtime (meter "StatefulFunctions") and of ASP.NET Core, scraped at /metrics on the metrics
        // port only; traces of the runtime (activity source "StatefulFunctions") sent by OTLP when
        // OTEL_EXPORTER_OTLP_ENDPOINT is set.
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter("StatefulFunctions").AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource("StatefulFunctions").AddAspNetCoreInstrumentation().AddOtlpExporter());
        }

        builder.Services.AddStatefulFunctions(sf => sf
            .UseLiteDb("data/rides-http.db")
            .AddModule(new RidesModule(city: null, httpRequests: new HttpRideRequestRouter())));

        await using var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == metricsUrl.Port && http.Request.Path == "/metrics");
        app.MapStatefulFunctions("/rides");
        return await WebModes.ServeAsync(app, "Ride sharing over HTTP", "/rides", otherPort: metricsUrl.Port);
    }

    private static string? ValueOf(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}

/// <summary>The body of a ride request over HTTP.</summary>
public sealed record RideRequestBody(string PassengerId, string FromCell, string ToCell);

/// <summary>A ride request posted to <c>/rides/ingress/ride-requests</c> goes to the passenger who asked.</summary>
public sealed class HttpRideRequestRouter : IRouter<HttpIngressRequest>
{
    public void Route(HttpIngressRequest @event, IDownstream downstream)
    {
        var request = @event.BodyAs<RideRequestBody>();
        if (string.IsNullOrWhiteSpace(request.PassengerId) || string.IsNullOrWhiteSpace(request.FromCell) || string.IsNullOrWhiteSpace(request.ToCell))
        {
            throw new ArgumentException("A ride request names its passengerId, fromCell and toCell.");
        }

        downstream.Forward(Passenger.At(request.PassengerId), new RequestRide(request.FromCell, request.ToCell));
    }
}

using StatefulFunctions;

namespace RideSharing;

/// <summary>
/// <c>dotnet run --project samples/RideSharing -- --flink</c>: the same functions served to an Apache Flink StateFun
/// cluster at <c>/statefun</c> (docs/flink.md, and deploy/module.yaml beside this sample). State, timers, messaging and
/// exactly-once are the cluster's; ride requests and driver locations come from Kafka topics as JSON, and ride events
/// leave through a Kafka egress.
/// </summary>
internal static class FlinkMode
{
    public const string Switch = "--flink";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebModes.CreateBuilder(args, Switch, "http://127.0.0.1:8000");
        builder.Services.AddStatefulFunctionsRemote(sf => sf.AddModule(new RidesModule(city: null)));

        await using var app = builder.Build();
        app.MapStatefulFunctionsRemote("/statefun", remote => remote
            .UseJson<RequestRide>()
            .UseJson<LocationUpdated>()
            .MapEgressToKafka(RidesModule.RideEvents, topic: "ride-events", key: e => e.RideId));
        return await WebModes.ServeAsync(app, "Ride-sharing functions for Flink StateFun", "/statefun");
    }
}

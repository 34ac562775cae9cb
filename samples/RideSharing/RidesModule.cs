using RideSharing.Ingress;
using StatefulFunctions;

namespace RideSharing;

/// <summary>
/// The ride-sharing module: its functions (passenger, driver, ride, geo-cell) come from generated registration;
/// this adds the two ingresses with their routers and the egress of ride events.
/// </summary>
public sealed class RidesModule(CitySimulation city) : IStatefulFunctionModule
{
    /// <summary>Ride requests from the app.</summary>
    public static readonly IngressId<RideRequestEvent> RideRequests = new("rides/requests");

    /// <summary>Driver positions from their phones.</summary>
    public static readonly IngressId<DriverLocationEvent> DriverLocations = new("rides/driver-locations");

    /// <summary>What happened to each ride, for the outside world.</summary>
    public static readonly EgressId<RideEvent> RideEvents = new("rides/events");

    public void Configure(IModuleBuilder module)
    {
        module.AddIngress(RideRequests, city.Requests).AddRouter(RideRequests, new RideRequestRouter());
        module.AddIngress(DriverLocations, city.Locations).AddRouter(DriverLocations, new DriverLocationRouter());
        module.AddEgress(RideEvents);
    }
}

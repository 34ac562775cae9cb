using RideSharing.Ingress;
using StatefulFunctions;
using StatefulFunctions.AspNetCore;

namespace RideSharing;

/// <summary>
/// The ride-sharing module: its functions (passenger, driver, ride, geo-cell) come from generated registration;
/// this adds the two ingresses with their routers (fed by the simulated city, when there is one) and the egress of
/// ride events, and in HTTP mode an HTTP ingress of ride requests.
/// </summary>
public sealed class RidesModule(CitySimulation? city, IRouter<HttpIngressRequest>? httpRequests = null) : IStatefulFunctionModule
{
    /// <summary>Ride requests from the app.</summary>
    public static readonly IngressId<RideRequestEvent> RideRequests = new("rides/requests");

    /// <summary>Driver positions from their phones.</summary>
    public static readonly IngressId<DriverLocationEvent> DriverLocations = new("rides/driver-locations");

    /// <summary>What happened to each ride, for the outside world.</summary>
    public static readonly EgressId<RideEvent> RideEvents = new("rides/events");

    public void Configure(IModuleBuilder module)
    {
        if (city is not null)
        {
            module.AddIngress(RideRequests, city.Requests).AddIngress(DriverLocations, city.Locations);
        }

        module.AddRouter(RideRequests, new RideRequestRouter()).AddRouter(DriverLocations, new DriverLocationRouter());
        module.AddEgress(RideEvents);
        if (httpRequests is not null)
        {
            module.AddHttpIngress("ride-requests", httpRequests);
        }
    }
}

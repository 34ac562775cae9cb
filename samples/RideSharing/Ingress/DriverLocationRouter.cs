using RideSharing.Functions;
using StatefulFunctions;

namespace RideSharing.Ingress;

/// <summary>Routes a location report to its driver.</summary>
public sealed class DriverLocationRouter : IRouter<DriverLocationEvent>
{
    public void Route(DriverLocationEvent @event, IDownstream downstream) =>
        downstream.Forward(Driver.At(@event.DriverId), new LocationUpdated(@event.Cell));
}

using RideSharing.Functions;
using StatefulFunctions;

namespace RideSharing.Ingress;

/// <summary>Routes a ride request to the passenger who asked.</summary>
public sealed class RideRequestRouter : IRouter<RideRequestEvent>
{
    public void Route(RideRequestEvent @event, IDownstream downstream) =>
        downstream.Forward(Passenger.At(@event.PassengerId), new RequestRide(@event.FromCell, @event.ToCell));
}

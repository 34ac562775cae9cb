using StatefulFunctions;

namespace RideSharing.Functions;

/// <summary>A driver: free drivers wait in the pool of the cell they are in; a busy one drives its ride.</summary>
[StatefulFunction("rides/driver")]
public sealed partial class Driver : IHandle<LocationUpdated>, IHandle<OfferRide>, IHandle<RideFinished>
{
    [Persisted] private string? _cell;
    [Persisted] private string? _rideId;
    [Persisted] private int _completedRides;

    public void Handle(IContext context, LocationUpdated message)
    {
        if (_rideId is not null || _cell == message.Cell)
        {
            // A busy driver's position does not matter for matching.
            _cell = _rideId is null ? _cell : message.Cell;
            return;
        }

        if (_cell is not null)
        {
            context.Send(GeoCell.At(_cell), new LeaveCell(context.Self.Id));
        }

        _cell = message.Cell;
        context.Send(GeoCell.At(_cell), new JoinCell(context.Self.Id));
    }

    public void Handle(IContext context, OfferRide message)
    {
        if (_rideId is not null)
        {
            context.Send(Ride.At(message.RideId), new DriverDeclined(context.Self.Id));
            return;
        }

        _rideId = message.RideId;
        context.Send(Ride.At(message.RideId), new DriverAssigned(context.Self.Id));
    }

    public void Handle(IContext context, RideFinished message)
    {
        if (_rideId != message.RideId)
        {
            return;
        }

        _rideId = null;
        _completedRides++;
        _cell = message.Cell;
        context.Send(GeoCell.At(_cell), new JoinCell(context.Self.Id));
    }
}

using StatefulFunctions;

namespace RideSharing.Functions;

/// <summary>
/// One ride: looks for a driver in the passenger's cell (asking again while none is free), gives up after a
/// timeout, and tells the passenger and driver when it ends.
/// </summary>
[StatefulFunction("rides/ride")]
public sealed partial class Ride : IHandle<CreateRide>, IHandle<NoDriverAvailable>, IHandle<RetryMatching>, IHandle<DriverDeclined>,
    IHandle<DriverAssigned>, IHandle<CompleteRide>, IHandle<RideTimedOut>
{
    private const string TimeoutToken = "matching-timeout";
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MatchingTimeout = TimeSpan.FromSeconds(3);

    [Persisted] private RideStatus _status;
    [Persisted] private string _passengerId = "";
    [Persisted] private string _fromCell = "";
    [Persisted] private string _toCell = "";
    [Persisted] private string? _driverId;

    public void Handle(IContext context, CreateRide message)
    {
        _status = RideStatus.Searching;
        (_passengerId, _fromCell, _toCell) = (message.PassengerId, message.FromCell, message.ToCell);
        context.Emit(RidesModule.RideEvents, new RideEvent(context.Self.Id, "requested", _passengerId, null));
        context.Send(GeoCell.At(_fromCell), new FindDriver(context.Self.Id));
        context.SendAfter(MatchingTimeout, At(context.Self.Id), new RideTimedOut(), TimeoutToken);
    }

    public void Handle(IContext context, NoDriverAvailable message) => RetryLater(context);

    public void Handle(IContext context, DriverDeclined message) => RetryLater(context);

    public void Handle(IContext context, RetryMatching message)
    {
        if (_status == RideStatus.Searching)
        {
            context.Send(GeoCell.At(_fromCell), new FindDriver(context.Self.Id));
        }
    }

    public void Handle(IContext context, DriverAssigned message)
    {
        if (_status != RideStatus.Searching)
        {
            // Too late: the ride timed out meanwhile. Free the driver again.
            context.Send(Driver.At(message.DriverId), new RideFinished(context.Self.Id, _fromCell));
            return;
        }

        _status = RideStatus.Driving;
        _driverId = message.DriverId;
        context.CancelDelayed(TimeoutToken);
        context.Emit(RidesModule.RideEvents, new RideEvent(context.Self.Id, "matched", _passengerId, _driverId));
        context.SendAfter(TripDuration(_fromCell, _toCell), At(context.Self.Id), new CompleteRide());
    }

    public void Handle(IContext context, CompleteRide message)
    {
        _status = RideStatus.Completed;
        context.Emit(RidesModule.RideEvents, new RideEvent(context.Self.Id, "completed", _passengerId, _driverId));
        context.Send(Driver.At(_driverId!), new RideFinished(context.Self.Id, _toCell));
        context.Send(Passenger.At(_passengerId), new RideEnded(context.Self.Id, Completed: true));
    }

    public void Handle(IContext context, RideTimedOut message)
    {
        if (_status != RideStatus.Searching)
        {
            return;
        }

        _status = RideStatus.Cancelled;
        context.Emit(RidesModule.RideEvents, new RideEvent(context.Self.Id, "cancelled", _passengerId, null));
        context.Send(Passenger.At(_passengerId), new RideEnded(context.Self.Id, Completed: false));
    }

    private void RetryLater(IContext context)
    {
        if (_status == RideStatus.Searching)
        {
            context.SendAfter(RetryPause, At(context.Self.Id), new RetryMatching());
        }
    }

    /// <summary>A simulated trip takes 10 ms per cell of distance, at least 50 ms.</summary>
    private static TimeSpan TripDuration(string from, string to)
    {
        var (fx, fy) = CityGrid.Parse(from);
        var (tx, ty) = CityGrid.Parse(to);
        return TimeSpan.FromMilliseconds(50 + (10 * (Math.Abs(fx - tx) + Math.Abs(fy - ty))));
    }
}

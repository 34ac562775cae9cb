using StatefulFunctions;

namespace RideSharing.Functions;

/// <summary>A passenger: turns each ride request into a new ride and remembers how its rides went.</summary>
[StatefulFunction("rides/passenger")]
public sealed partial class Passenger : IHandle<RequestRide>, IHandle<RideEnded>
{
    [Persisted] private int _requested;
    [Persisted] private int _completed;
    [Persisted] private string? _currentRide;

    public void Handle(IContext context, RequestRide message)
    {
        _requested++;
        _currentRide = $"{context.Self.Id}-{_requested}";
        context.Send(Ride.At(_currentRide), new CreateRide(context.Self.Id, message.FromCell, message.ToCell));
    }

    public void Handle(IContext context, RideEnded message)
    {
        if (message.Completed)
        {
            _completed++;
        }

        if (_currentRide == message.RideId)
        {
            _currentRide = null;
        }
    }
}

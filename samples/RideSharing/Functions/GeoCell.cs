using StatefulFunctions;

namespace RideSharing.Functions;

/// <summary>One cell of the city grid: the pool of free drivers in it, offered rides first come, first served.</summary>
[StatefulFunction("rides/geo-cell")]
public sealed partial class GeoCell : IHandle<JoinCell>, IHandle<LeaveCell>, IHandle<FindDriver>
{
    [Persisted] private List<string> _freeDrivers = new();

    public void Handle(IContext context, JoinCell message)
    {
        if (!_freeDrivers.Contains(message.DriverId))
        {
            _freeDrivers.Add(message.DriverId);
        }
    }

    public void Handle(IContext context, LeaveCell message) => _freeDrivers.Remove(message.DriverId);

    public void Handle(IContext context, FindDriver message)
    {
        if (_freeDrivers.Count == 0)
        {
            context.Send(Ride.At(message.RideId), new NoDriverAvailable());
            return;
        }

        var driver = _freeDrivers[0];
        _freeDrivers.RemoveAt(0);
        context.Send(Driver.At(driver), new OfferRide(message.RideId));
    }
}

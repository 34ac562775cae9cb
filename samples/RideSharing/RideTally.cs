namespace RideSharing;

/// <summary>Counts the ride events read from the egress.</summary>
public sealed class RideTally
{
    public int Requested { get; private set; }

    public int Matched { get; private set; }

    public int Completed { get; private set; }

    public int Cancelled { get; private set; }

    /// <summary>Rides that completed or were cancelled.</summary>
    public int Ended => Completed + Cancelled;

    public void Add(RideEvent rideEvent)
    {
        ArgumentNullException.ThrowIfNull(rideEvent);
        switch (rideEvent.Kind)
        {
            case "requested": Requested++; break;
            case "matched": Matched++; break;
            case "completed": Completed++; break;
            case "cancelled": Cancelled++; break;
            default: throw new InvalidOperationException($"Unknown ride event kind '{rideEvent.Kind}'.");
        }
    }
}

namespace RideSharing;

/// <summary>
/// Counts the ride events read from the egress, for the rides requested in this run (a ride requested by an
/// earlier run that was stopped midway may still end in this one; it is not counted).
/// </summary>
public sealed class RideTally
{
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);

    public int Requested { get; private set; }

    public int Matched { get; private set; }

    public int Completed { get; private set; }

    public int Cancelled { get; private set; }

    /// <summary>Rides that completed or were cancelled.</summary>
    public int Ended => Completed + Cancelled;

    public void Add(RideEvent rideEvent)
    {
        ArgumentNullException.ThrowIfNull(rideEvent);
        if (rideEvent.Kind == "requested")
        {
            _requested.Add(rideEvent.RideId);
        }
        else if (!_requested.Contains(rideEvent.RideId))
        {
            return;
        }

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

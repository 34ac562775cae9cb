namespace RideSharing.Functions;

/// <summary>Where a ride is in its life.</summary>
public enum RideStatus
{
    /// <summary>Not created yet.</summary>
    None,

    /// <summary>Looking for a driver.</summary>
    Searching,

    /// <summary>A driver is taking the passenger to the destination.</summary>
    Driving,

    /// <summary>The passenger arrived.</summary>
    Completed,

    /// <summary>No driver was found in time.</summary>
    Cancelled,
}

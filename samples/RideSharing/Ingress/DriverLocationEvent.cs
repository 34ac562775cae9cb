namespace RideSharing.Ingress;

/// <summary>A driver's phone reports its position: the event as it arrives from outside.</summary>
public sealed record DriverLocationEvent(string DriverId, string Cell);

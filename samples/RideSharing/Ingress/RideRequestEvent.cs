namespace RideSharing.Ingress;

/// <summary>An app user asks for a ride: the event as it arrives from outside.</summary>
public sealed record RideRequestEvent(string PassengerId, string FromCell, string ToCell);

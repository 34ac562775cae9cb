using MemoryPack;
using StatefulFunctions;

namespace RideSharing;

// The messages between the functions of the ride-sharing application. A grid cell of the simulated city is
// named "x:y"; every message is a MemoryPack record so the runtime can store and ship it. The two that come from
// outside (HTTP, or Kafka topics in front of a Flink StateFun cluster) have stable names that do not change with C#,
// and are [PublicMessage]: over HTTP, clients can send those two and nothing else (a JoinCell from outside would put
// a phantom driver in a cell).

/// <summary>A passenger asks for a ride from one cell to another.</summary>
[MemoryPackable, MessageType("rides/request-ride"), PublicMessage] public sealed partial record RequestRide(string FromCell, string ToCell);

/// <summary>A passenger's ride has ended (completed or cancelled).</summary>
[MemoryPackable] public sealed partial record RideEnded(string RideId, bool Completed);

/// <summary>A new ride, sent by its passenger.</summary>
[MemoryPackable] public sealed partial record CreateRide(string PassengerId, string FromCell, string ToCell);

/// <summary>Asks a cell for a free driver for a ride.</summary>
[MemoryPackable] public sealed partial record FindDriver(string RideId);

/// <summary>The cell had no free driver; the ride will ask again.</summary>
[MemoryPackable] public sealed partial record NoDriverAvailable;

/// <summary>A driver took the ride.</summary>
[MemoryPackable] public sealed partial record DriverAssigned(string DriverId);

/// <summary>A driver was offered a ride but was already busy.</summary>
[MemoryPackable] public sealed partial record DriverDeclined(string DriverId);

/// <summary>The ride asks its cell again after a pause.</summary>
[MemoryPackable] public sealed partial record RetryMatching;

/// <summary>The ride is over: the driver reached the destination.</summary>
[MemoryPackable] public sealed partial record CompleteRide;

/// <summary>Nobody took the ride in time.</summary>
[MemoryPackable] public sealed partial record RideTimedOut;

/// <summary>A driver reports where it is.</summary>
[MemoryPackable, MessageType("rides/location-updated"), PublicMessage] public sealed partial record LocationUpdated(string Cell);

/// <summary>A cell offers a ride to one of its free drivers.</summary>
[MemoryPackable] public sealed partial record OfferRide(string RideId);

/// <summary>The driver's ride is over; it is free again at the destination.</summary>
[MemoryPackable] public sealed partial record RideFinished(string RideId, string Cell);

/// <summary>A free driver joins the pool of a cell.</summary>
[MemoryPackable] public sealed partial record JoinCell(string DriverId);

/// <summary>A driver leaves the pool of a cell (moved away, or took a ride).</summary>
[MemoryPackable] public sealed partial record LeaveCell(string DriverId);

/// <summary>What happened to a ride, as the outside world sees it (the egress record).</summary>
/// <param name="RideId">The ride.</param>
/// <param name="Kind">requested, matched, completed or cancelled.</param>
/// <param name="PassengerId">The passenger.</param>
/// <param name="DriverId">The driver, once matched.</param>
[MemoryPackable] public sealed partial record RideEvent(string RideId, string Kind, string PassengerId, string? DriverId);

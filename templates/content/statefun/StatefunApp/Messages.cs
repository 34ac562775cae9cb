using MemoryPack;

namespace StatefunApp;

// Messages are internal to the application by default. Served over HTTP (StatefulFunctions.AspNetCore,
// app.MapStatefulFunctions()), clients may send only those marked [PublicMessage], each with a stable name:
// [MemoryPackable, PublicMessage, MessageType("visits/visit")].

/// <summary>Someone came by: counted by the <see cref="Visitor"/> function of that name.</summary>
[MemoryPackable]
public sealed partial record Visit(string Name);

/// <summary>What the application tells the outside world after each visit.</summary>
[MemoryPackable]
public sealed partial record Greeting(string Name, long Visits);

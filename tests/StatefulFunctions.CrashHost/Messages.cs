using MemoryPack;

namespace StatefulFunctions.CrashHost;

/// <summary>Command number <c>Index</c> of the seeded workload, for the source to apply once.</summary>
[MemoryPackable] public sealed partial record Command(long Index);

/// <summary>Asks the source which command it expects next.</summary>
[MemoryPackable] public sealed partial record GetNext;

/// <summary>Adds to a counter.</summary>
[MemoryPackable] public sealed partial record Add(long Amount);

/// <summary>Asks a counter to add to another counter (a second hop).</summary>
[MemoryPackable] public sealed partial record AddVia(string Target, long Amount);

/// <summary>Asks the source to emit a marker record: once the consumer reads it, it has read every earlier record.</summary>
[MemoryPackable] public sealed partial record EmitMarker(string Marker);

/// <summary>Asks a counter for its value.</summary>
[MemoryPackable] public sealed partial record GetValue;

/// <summary>Adds to a counter after a pause and answers its new value (a handler slow enough to leave a backlog).</summary>
[MemoryPackable] public sealed partial record AddSlowly(long Amount, int DelayMs);

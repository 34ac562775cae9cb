using MemoryPack;

namespace StatefulFunctions.Benchmarks;

/// <summary>A one-way counter increment; <c>SentAt</c> is a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
[MemoryPackable, PublicMessage] public sealed partial record Increment(long SentAt); // public: the HTTP scenario sends it

/// <summary>Asks a counter for its count (not timed).</summary>
[MemoryPackable] public sealed partial record GetCount;

/// <summary>One hop of a chain: <c>Hops</c> made so far, <c>SentAt</c> when this hop was sent.</summary>
[MemoryPackable] public sealed partial record Hop(int Hops, long SentAt);

/// <summary>Sets a blob's ~100-byte payload.</summary>
[MemoryPackable] public sealed partial record SetPayload(string Payload, long SentAt);

/// <summary>Asks a blob for its payload length (not timed).</summary>
[MemoryPackable] public sealed partial record GetPayloadLength;

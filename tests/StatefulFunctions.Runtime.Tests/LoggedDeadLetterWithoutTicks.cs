using MemoryPack;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The stored form of a dead letter as written before it kept the full precision of its time: the members it had then.</summary>
[MemoryPackable]
internal sealed partial record LoggedDeadLetterWithoutTicks(LoggedMessage Message, string Exception, int Attempts, long FailedAtUnixMs);

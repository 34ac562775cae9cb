using MemoryPack;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The stored form of a message as written before it carried trace context: the members it had then.</summary>
[MemoryPackable]
internal sealed partial record LoggedMessageWithoutTrace(
    long Id,
    string TargetType,
    string TargetId,
    string? CallerType,
    string? CallerId,
    string MessageType,
    byte[] Payload,
    long DueUnixMs,
    string? Token);

using MemoryPack;

namespace Greetings;

/// <summary>Asks the greeter to greet someone. Messages are MemoryPack records so the runtime can store them.</summary>
[MemoryPackable]
public sealed partial record Greet(string Name);

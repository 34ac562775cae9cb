using MemoryPack;

namespace StatefunApp;

/// <summary>Someone came by: counted by the <see cref="Visitor"/> function of that name.</summary>
[MemoryPackable]
public sealed partial record Visit(string Name);

/// <summary>What the application tells the outside world after each visit.</summary>
[MemoryPackable]
public sealed partial record Greeting(string Name, long Visits);

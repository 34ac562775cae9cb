using MemoryPack;
using StatefulFunctions;

namespace Greetings;

/// <summary>
/// Asks the greeter to greet someone; answered with the greeting (<c>IAsk&lt;string&gt;</c> types the ask). Messages
/// are MemoryPack records so the runtime can store them.
/// </summary>
[MemoryPackable]
public sealed partial record Greet(string Name) : IAsk<string>;

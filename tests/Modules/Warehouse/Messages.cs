using MemoryPack;

namespace Warehouse;

/// <summary>Asks the stock of an item to reserve some units and answer to <see cref="ReplyTo"/>.</summary>
[MemoryPackable]
public sealed partial record Reserve(int Quantity, string OrderId);

/// <summary>The answer to <see cref="Reserve"/>, sent to the order that asked.</summary>
[MemoryPackable]
public sealed partial record Reserved(string Item, int Quantity, int Remaining);

/// <summary>Puts units on the shelf.</summary>
[MemoryPackable]
public sealed partial record Restock(int Quantity);

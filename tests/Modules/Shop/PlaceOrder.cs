using MemoryPack;

namespace Shop;

/// <summary>Orders some units of an item.</summary>
[MemoryPackable]
public sealed partial record PlaceOrder(string Item, int Quantity);

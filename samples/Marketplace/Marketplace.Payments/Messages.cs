using MemoryPack;
using StatefulFunctions;

namespace Marketplace.Payments;

// The payments module's contract: what other modules may send to a wallet, and what the wallet answers them with.
// The payments team owns these types; a team that needs payments references this library. Their stable names are
// pinned with [MessageType], so the payments team can rename or move a type without breaking messages already in
// the durable log of a running application.

/// <summary>Adds money to a wallet; the wallet replies with its new balance (a <see cref="decimal"/>) when asked.</summary>
[MemoryPackable, MessageType("payments/deposit")]
public sealed partial record Deposit(decimal Amount);

/// <summary>Takes money from a wallet for an order. The wallet answers the sender with <see cref="Charged"/> or <see cref="ChargeDeclined"/>.</summary>
[MemoryPackable, MessageType("payments/charge")]
public sealed partial record Charge(string OrderId, decimal Amount);

/// <summary>Gives back the money of an order. The wallet answers the sender with <see cref="Refunded"/>.</summary>
[MemoryPackable, MessageType("payments/refund")]
public sealed partial record Refund(string OrderId, decimal Amount);

/// <summary>Asks a wallet for its balance; it replies with a <see cref="decimal"/>.</summary>
[MemoryPackable, MessageType("payments/get-balance")]
public sealed partial record GetBalance;

/// <summary>The wallet paid for the order.</summary>
[MemoryPackable, MessageType("payments/charged")]
public sealed partial record Charged(string OrderId, decimal Amount, decimal Balance);

/// <summary>The wallet could not pay for the order: the balance was too low. Nothing was taken.</summary>
[MemoryPackable, MessageType("payments/charge-declined")]
public sealed partial record ChargeDeclined(string OrderId, decimal Amount, decimal Balance);

/// <summary>The wallet took the order's money back.</summary>
[MemoryPackable, MessageType("payments/refunded")]
public sealed partial record Refunded(string OrderId, decimal Amount, decimal Balance);

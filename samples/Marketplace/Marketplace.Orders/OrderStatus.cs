namespace Marketplace.Orders;

/// <summary>Where an order is in its life.</summary>
public enum OrderStatus
{
    /// <summary>Not placed yet.</summary>
    None,

    /// <summary>Placed; the charge is with payments.</summary>
    AwaitingPayment,

    /// <summary>Payments took the money.</summary>
    Paid,

    /// <summary>Payments declined the charge: the wallet's balance was too low.</summary>
    Declined,

    /// <summary>Cancelled after payment; the refund is with payments.</summary>
    Refunding,

    /// <summary>Cancelled and the money given back.</summary>
    Refunded,
}

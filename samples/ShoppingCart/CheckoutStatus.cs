namespace ShoppingCart;

/// <summary>What came of a checkout.</summary>
public enum CheckoutStatus
{
    /// <summary>Every item was reserved: the shopper gets a receipt.</summary>
    Completed,

    /// <summary>Some item was not on the shelf in the quantity asked; what had been reserved was put back.</summary>
    OutOfStock,

    /// <summary>The cart had expired: the shopper had left it alone for longer than its time to live.</summary>
    CartExpired,

    /// <summary>Nothing was ever put in the cart.</summary>
    CartEmpty,

    /// <summary>The shopper's previous checkout is still waiting for its reservations.</summary>
    CheckoutInProgress,
}

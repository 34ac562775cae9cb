namespace ShoppingCart.Ingress;

/// <summary>Something a shopper did in the web shop: the event as it arrives from outside.</summary>
/// <param name="UserId">The shopper.</param>
public abstract record ShopperEvent(string UserId);

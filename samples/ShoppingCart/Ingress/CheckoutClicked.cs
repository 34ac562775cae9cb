namespace ShoppingCart.Ingress;

/// <summary>The shopper clicked "checkout".</summary>
public sealed record CheckoutClicked(string UserId) : ShopperEvent(UserId);

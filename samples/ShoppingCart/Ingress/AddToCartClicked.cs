namespace ShoppingCart.Ingress;

/// <summary>The shopper clicked "add to cart".</summary>
public sealed record AddToCartClicked(string UserId, string Item, int Quantity) : ShopperEvent(UserId);

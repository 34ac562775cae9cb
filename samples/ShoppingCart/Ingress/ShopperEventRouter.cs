using ShoppingCart.Functions;
using StatefulFunctions;

namespace ShoppingCart.Ingress;

/// <summary>Routes what a shopper did to their session, as the message the session handles.</summary>
public sealed class ShopperEventRouter : IRouter<ShopperEvent>
{
    public void Route(ShopperEvent @event, IDownstream downstream)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var session = UserSession.At(@event.UserId);
        switch (@event)
        {
            case AddToCartClicked added:
                downstream.Forward(session, new AddToCart(added.Item, added.Quantity));
                break;
            case CheckoutClicked:
                downstream.Forward(session, new Checkout());
                break;
            default:
                throw new ArgumentException($"Unknown shopper event {@event.GetType().Name}.", nameof(@event));
        }
    }
}

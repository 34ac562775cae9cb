namespace ShoppingCart;

/// <summary>Counts the checkout results read from the egress.</summary>
public sealed class CheckoutTally
{
    private readonly Dictionary<CheckoutStatus, int> _counts = new();

    /// <summary>Every checkout result read.</summary>
    public int Checkouts { get; private set; }

    /// <summary>The sum of the receipts.</summary>
    public decimal Revenue { get; private set; }

    /// <summary>How many checkouts ended with <paramref name="status"/>.</summary>
    public int Count(CheckoutStatus status) => _counts.GetValueOrDefault(status);

    public void Add(CheckoutResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Checkouts++;
        _counts[result.Status] = Count(result.Status) + 1;
        Revenue += result.Total;
    }
}

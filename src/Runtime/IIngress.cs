namespace StatefulFunctions;

/// <summary>A source of events that enter the application through an ingress and its routers.</summary>
/// <typeparam name="T">The event type.</typeparam>
public interface IIngress<out T>
{
    /// <summary>Reads events until the source ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<T> ReadAsync(CancellationToken cancellationToken);
}

namespace StatefulFunctions;

/// <summary>Picks the address (or addresses) that handle an event arriving at an ingress.</summary>
/// <typeparam name="T">The event type.</typeparam>
public interface IRouter<in T>
{
    /// <summary>Routes one event: call <see cref="IDownstream.Forward"/> once per message to deliver.</summary>
    void Route(T @event, IDownstream downstream);
}

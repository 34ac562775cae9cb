namespace StatefulFunctions;

/// <summary>Where a router forwards the messages it makes of an event.</summary>
public interface IDownstream
{
    /// <summary>Delivers <paramref name="message"/> to <paramref name="target"/>.</summary>
    void Forward(Address target, object message);
}

namespace StatefulFunctions.Runtime;

/// <summary>One message on its way to an address.</summary>
internal sealed class Envelope(Address target, Address? caller, object message, TaskCompletionSource<object?>? reply) : ShardWork
{
    public Address Target { get; } = target;

    public Address? Caller { get; } = caller;

    public object Message { get; } = message;

    /// <summary>Completed by the handler's <see cref="IContext.Reply"/> when an <c>AskAsync</c> waits for it.</summary>
    public TaskCompletionSource<object?>? Reply { get; } = reply;
}

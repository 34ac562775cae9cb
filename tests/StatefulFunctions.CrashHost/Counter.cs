namespace StatefulFunctions.CrashHost;

/// <summary>A counter that can also pass an addition on to another counter.</summary>
[StatefulFunction("crash/counter")]
public sealed partial class Counter : IHandle<Add>, IHandle<AddVia>, IHandle<GetValue>
{
    [Persisted] private long _value;

    public void Handle(IContext context, Add message) => _value += message.Amount;

    public void Handle(IContext context, AddVia message) => context.Send(At(message.Target), new Add(message.Amount));

    public void Handle(IContext context, GetValue message) => context.Reply(_value);
}

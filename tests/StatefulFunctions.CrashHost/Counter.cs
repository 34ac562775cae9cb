namespace StatefulFunctions.CrashHost;

/// <summary>A counter that can also pass an addition on to another counter, or add slowly and answer its new value.</summary>
[StatefulFunction("crash/counter")]
public sealed partial class Counter : IHandle<Add>, IHandle<AddVia>, IHandle<GetValue>, IHandleAsync<AddSlowly>
{
    [Persisted] private long _value;

    public void Handle(IContext context, Add message) => _value += message.Amount;

    public void Handle(IContext context, AddVia message) => context.Send(At(message.Target), new Add(message.Amount));

    public void Handle(IContext context, GetValue message) => context.Reply(_value);

    public async ValueTask HandleAsync(IContext context, AddSlowly message)
    {
        await Task.Delay(message.DelayMs);
        _value += message.Amount;
        context.Reply(_value);
    }
}

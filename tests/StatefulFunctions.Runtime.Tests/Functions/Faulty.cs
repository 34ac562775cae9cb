namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Changes its state, sends, schedules and emits, then throws on its first <c>Attempts</c> tries.</summary>
[StatefulFunction("tests/faulty")]
public sealed partial class Faulty : IHandle<Boom>, IHandle<Increment>
{
    [Persisted] private int _tries;
    [Persisted] private int _value;

    public void Handle(IContext context, Boom message)
    {
        _tries++;
        _value = 1000;
        context.Send(Counter.At("victim"), new Increment(1));
        context.SendAfter(TimeSpan.FromSeconds(1), Counter.At("victim"), new Increment(1));
        context.Emit(TestModule.Counts, "faulty");
        context.Reply("should not be seen");
        if (FailureGate.Next(context.Self.Id) <= message.Attempts)
        {
            throw new InvalidOperationException($"boom {_tries}");
        }
    }

    public void Handle(IContext context, Increment message) => _value += message.By;
}

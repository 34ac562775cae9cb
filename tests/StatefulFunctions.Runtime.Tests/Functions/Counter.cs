namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Counts increments, keeps the order of sequenced messages per sender, and answers its count.</summary>
[StatefulFunction("tests/counter")]
public sealed partial class Counter : IHandle<Increment>, IHandle<Sequenced>, IHandle<GetCount>, IHandle<IncrementAndGet>
{
    [Persisted] private int _count;
    [Persisted] private List<string> _sequence = new();

    public void Handle(IContext context, Increment message)
    {
        _count += message.By;
        context.Emit(TestModule.Counts, $"{context.Self.Id}={_count}");
    }

    public void Handle(IContext context, Sequenced message) => _sequence.Add($"{message.Sender}:{message.Number}");

    public void Handle(IContext context, GetCount message) => context.Reply(_count);

    public void Handle(IContext context, IncrementAndGet message)
    {
        _count += message.By;
        context.Reply(_count);
    }
}

namespace StatefulFunctions.Benchmarks.Functions;

/// <summary>Counts one-way increments and answers its count.</summary>
[StatefulFunction("bench/counter")]
internal sealed partial class BenchCounter : IHandle<Increment>, IHandle<GetCount>
{
    [Persisted] private int _count;

    public void Handle(IContext context, Increment message)
    {
        _count++;
        BenchStats.Record(message.SentAt);
    }

    public void Handle(IContext context, GetCount message) => context.Reply(_count);
}

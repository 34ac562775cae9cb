namespace StatefulFunctions.Benchmarks.Functions;

/// <summary>Holds a small payload as state.</summary>
[StatefulFunction("bench/blob")]
internal sealed partial class Blob : IHandle<SetPayload>, IHandle<GetPayloadLength>
{
    [Persisted] private string? _payload;

    public void Handle(IContext context, SetPayload message)
    {
        _payload = message.Payload;
        BenchStats.Record(message.SentAt);
    }

    public void Handle(IContext context, GetPayloadLength message) => context.Reply(_payload?.Length ?? -1);
}

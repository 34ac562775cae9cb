using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

// The functions that wrote the data directories in Fixtures/ (see Fixtures/README.md), with the same function type
// names, message type names and state: what those files hold reads back here.

[MemoryPackable]
[MessageType("Add")]
public partial record FixtureAdd(long Amount);

[MemoryPackable]
[MessageType("Fill")]
public partial record FixtureFill(int Bytes);

[StatefulFunction("fixture/counter")]
public partial class FixtureCounter : IHandle<FixtureAdd>
{
    [Persisted] private long _count;

    public void Handle(IContext context, FixtureAdd message)
    {
        _count += message.Amount;
        context.Reply(_count);
    }
}

[StatefulFunction("fixture/blob")]
public partial class FixtureBlob : IHandle<FixtureFill>
{
    [Persisted] private byte[] _data = [];

    public void Handle(IContext context, FixtureFill message)
    {
        _data = message.Bytes < 0 ? _data : new byte[message.Bytes];
        context.Reply((long)_data.Length);
    }
}

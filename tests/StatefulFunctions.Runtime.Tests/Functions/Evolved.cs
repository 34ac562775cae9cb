using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

[MemoryPackable] public partial record Touch;

[MemoryPackable] public partial record EvoGrown(string Name, int Count);

[MemoryPackable] public partial record EvoGrownV1(string Name);

[MemoryPackable] public partial record EvoPair(int First, int Second);

[MemoryPackable] public partial record EvoPairWithThird(int First, int Second, int Third);

public enum EvoColor : uint { Red, Green }

/// <summary>"Version B" of a function whose members changed type; the tests store what "version A" wrote.</summary>
[StatefulFunction("evo/counter")]
public sealed partial class Evolved : IHandle<Touch>
{
    [Persisted] private int _dec;
    [Persisted] private int _long;
    [Persisted] private int _text;
    [Persisted] private long _wide;
    [Persisted] private EvoGrown? _grown;
    [Persisted] private EvoPair? _lost;
    [Persisted] private EvoPair? _swapped;
    [Persisted] private EvoColor _color;
    [Persisted] private int? _maybe;
    [Persisted] private int _sure;
    [Persisted] private int _touched;

    public void Handle(IContext context, Touch message)
    {
        _touched++;
        context.Reply($"dec={_dec} long={_long} text={_text} wide={_wide} grown={_grown} color={_color} maybe={_maybe} sure={_sure}");
    }
}

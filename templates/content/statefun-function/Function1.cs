using MemoryPack;
using StatefulFunctions;

namespace StatefunApp;

/// <summary>A message handled by <see cref="Function1"/>.</summary>
[MemoryPackable]
public sealed partial record Function1Request(string Text);

/// <summary>
/// A stateful function: one instance per id (<c>Function1.At("some-id")</c>); fields marked [Persisted] are
/// its state, saved after every message.
/// </summary>
[StatefulFunction("example/function_type_name")]
public sealed partial class Function1 : IHandle<Function1Request>
{
    [Persisted] private long _requests;

    public void Handle(IContext context, Function1Request message)
    {
        _requests++;
    }
}

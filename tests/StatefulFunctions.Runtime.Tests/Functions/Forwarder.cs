using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>
/// Sends an increment to the counter with the id it is given, at once or after a delay. The id travels as characters,
/// not a string: it may be one the runtime refuses (a lone surrogate, which MemoryPack cannot write in a string).
/// </summary>
[MemoryPackable] public sealed partial record ForwardTo(char[] CounterId, bool Delayed);

[StatefulFunction("tests/forwarder")]
public sealed partial class Forwarder : IHandle<ForwardTo>
{
    public void Handle(IContext context, ForwardTo message)
    {
        if (message.Delayed)
        {
            context.SendAfter(TimeSpan.FromMilliseconds(1), Counter.At(new string(message.CounterId)), new Increment(1));
        }
        else
        {
            context.Send(Counter.At(new string(message.CounterId)), new Increment(1));
        }
    }
}

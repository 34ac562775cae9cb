using StatefulFunctions;

namespace Greetings;

/// <summary>
/// Greets people by name and counts how often it has greeted each one. There is one virtual instance per id
/// (the sample uses the name): a message to <c>Greeter.At("Ada")</c> is all it takes to bring it to life.
/// </summary>
[StatefulFunction("example/greeter")]
public sealed partial class Greeter : IHandle<Greet>
{
    // State name "seen": loaded before each message and saved after it, so the count survives restarts.
    [Persisted] private int _seen;

    public void Handle(IContext context, Greet message)
    {
        _seen++;
        context.Reply($"Hello {message.Name}, greeting number {_seen}");
    }
}

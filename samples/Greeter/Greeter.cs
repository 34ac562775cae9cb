using StatefulFunctions;

namespace Greetings;

/// <summary>
/// Greets people by name and counts how often it has greeted each one. There is one virtual instance per id
/// (the sample uses the name): a message to <c>Greeter.At("Ada")</c> is all it takes to bring it to life.
/// </summary>
[StatefulFunction("example/greeter")]
public sealed partial class Greeter : IHandle<Greet, string>
{
    // State name "seen": loaded before each message and saved after it, so the count survives restarts.
    [Persisted] private int _seen;

    // The returned value is the reply: it reaches the asker once the new count is committed.
    public string Handle(IContext context, Greet message) => $"Hello {message.Name}, greeting number {++_seen}";
}

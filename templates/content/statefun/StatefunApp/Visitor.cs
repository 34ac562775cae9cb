using StatefulFunctions;

namespace StatefunApp;

/// <summary>
/// One instance per visitor name. Its persisted counter survives restarts; only visitors that are
/// busy are kept in memory, the rest are swapped out to the store.
/// </summary>
[StatefulFunction("example/visitor")]
public sealed partial class Visitor : IHandle<Visit>
{
    [Persisted] private long _visits;

    public void Handle(IContext context, Visit message)
    {
        _visits++;
        context.Emit(VisitorsModule.Greetings, new Greeting(message.Name, _visits));
    }
}

namespace StatefulFunctions.Runtime.Tests.Functions;

#pragma warning disable SFN0018 // on purpose: a message type MemoryPack cannot serialize, to test how the runtime refuses it

/// <summary>A handled message type that is not [MemoryPackable]: it works in memory and cannot be stored durably.</summary>
public sealed record Unstorable(string Text);

#pragma warning restore SFN0018

/// <summary>What <see cref="Relay"/> should do with an <see cref="Unstorable"/>.</summary>
[MemoryPack.MemoryPackable] public sealed partial record Pass(string How);

/// <summary>Sends, schedules, replies or emits an <see cref="Unstorable"/> and counts its tries.</summary>
[StatefulFunction("tests/relay")]
public sealed partial class Relay : IHandle<Pass>, IHandle<Unstorable>
{
    /// <summary>Carries <see cref="Unstorable"/> records out.</summary>
    public static readonly EgressId<Unstorable> Out = new("tests/unstorable-out");

    [Persisted] private int _tries;

    public void Handle(IContext context, Pass message)
    {
        _tries++;
        var unstorable = new Unstorable(message.How);
        switch (message.How)
        {
            case "send":
                context.Send(At("sink"), unstorable);
                break;
            case "send-later":
                context.SendAfter(TimeSpan.FromSeconds(1), At("sink"), unstorable);
                break;
            case "reply":
                context.Reply(unstorable);
                break;
            default:
                context.Emit(Out, unstorable);
                break;
        }
    }

    public void Handle(IContext context, Unstorable message) => _tries++;
}

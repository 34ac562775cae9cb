using MemoryPack;

namespace StatefulFunctions.Flink.Tests;

// A port of the command interpreter of StateFun's smoke end-to-end test: every message is a list of commands that
// increment the function's state, send (now or delayed) more commands to another instance, write to an egress, or
// report the state for verification.

public enum CommandKind
{
    Increment,
    Send,
    SendAfter,
    SendEgress,
    AsyncOperation,
    Verify,
}

[MemoryPackable, MessageType("smoke/command")]
public sealed partial record Command(CommandKind Kind, int Target = 0, Commands? Nested = null);

[MemoryPackable, MessageType("smoke/commands")]
public sealed partial record Commands(List<Command> Items);

[MemoryPackable, MessageType("smoke/discarded")]
public sealed partial record Discarded(string From);

[MemoryPackable, MessageType("smoke/verification-result")]
public sealed partial record VerificationResult(string Id, long Actual);

[StatefulFunction("smoke/interpreter")]
public sealed partial class CommandInterpreter : IHandleAsync<Commands>
{
    public static readonly EgressId<Discarded> Discard = new("smoke/discard");
    public static readonly EgressId<VerificationResult> Verification = new("smoke/verification");

    [Persisted] private long _state;

    public async ValueTask HandleAsync(IContext context, Commands message)
    {
        foreach (var command in message.Items)
        {
            switch (command.Kind)
            {
                case CommandKind.Increment:
                    _state++;
                    break;
                case CommandKind.Send:
                    context.Send(At(Id(command.Target)), command.Nested!);
                    break;
                case CommandKind.SendAfter:
                    context.SendAfter(TimeSpan.FromMilliseconds(1), At(Id(command.Target)), command.Nested!);
                    break;
                case CommandKind.SendEgress:
                    context.Emit(Discard, new Discarded(context.Self.Id));
                    break;
                case CommandKind.AsyncOperation:
                    await Task.Yield();
                    break;
                case CommandKind.Verify:
                    context.Emit(Verification, new VerificationResult(context.Self.Id, _state));
                    break;
            }
        }
    }

    public static string Id(int target) => target.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

namespace StatefulFunctions.CrashHost;

/// <summary>
/// Applies the workload's commands in order, each exactly once: a command resent by the host after a crash (its
/// acknowledgement lost) is recognised by its index and ignored.
/// </summary>
[StatefulFunction("crash/source")]
public sealed partial class Source : IHandle<Command>, IHandle<GetNext>, IHandle<EmitMarker>
{
    private static IReadOnlyList<WorkloadCommand> s_commands = [];

    [Persisted] private long _next;

    /// <summary>The workload the host runs (the same in every process of one test).</summary>
    public static void Use(IReadOnlyList<WorkloadCommand> commands) => s_commands = commands;

    public void Handle(IContext context, GetNext message) => context.Reply(_next);

    public void Handle(IContext context, EmitMarker message) => context.Emit(CrashModule.Events, message.Marker);

    public void Handle(IContext context, Command message)
    {
        if (message.Index != _next)
        {
            return;
        }

        _next++;
        var command = s_commands[(int)message.Index];
        switch (command.Kind)
        {
            case CommandKind.Increment:
                context.Send(Counter.At(command.Counter), new Add(command.Amount));
                break;
            case CommandKind.ViaAnotherCounter:
                context.Send(Counter.At(command.Counter), new AddVia(command.OtherCounter, command.Amount));
                break;
            case CommandKind.Delayed:
                context.SendAfter(TimeSpan.FromMilliseconds(command.DelayMs), Counter.At(command.Counter), new Add(command.Amount));
                break;
            case CommandKind.DelayedToCancel:
                context.SendAfter(TimeSpan.FromHours(1), Counter.At(command.Counter), new Add(command.Amount), Workload.Token(command.Index));
                break;
            case CommandKind.Cancel:
                context.CancelDelayed(Workload.Token(command.CancelsIndex));
                break;
            case CommandKind.Egress:
                context.Emit(CrashModule.Events, $"cmd-{command.Index}");
                break;
        }
    }
}

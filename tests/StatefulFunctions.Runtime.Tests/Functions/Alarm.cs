namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Schedules ticks to itself and records the order they fire in.</summary>
[StatefulFunction("tests/alarm")]
public sealed partial class Alarm : IHandle<Schedule>, IHandle<Cancel>, IHandle<Tick>
{
    [Persisted] private List<string> _fired = new();

    public void Handle(IContext context, Schedule message) =>
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.Tag), message.Token);

    public void Handle(IContext context, Cancel message) => context.CancelDelayed(message.Token);

    public void Handle(IContext context, Tick message) => _fired.Add($"{message.Tag}@{context.Now:HH:mm:ss}");
}

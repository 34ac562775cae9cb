namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Schedules ticks to itself and records the order they fire in.</summary>
[StatefulFunction("tests/alarm")]
public sealed partial class Alarm : IHandle<Schedule>, IHandle<Cancel>, IHandle<Tick>,
    IHandle<CancelThenSchedule>, IHandle<ScheduleThenCancel>, IHandle<ScheduleTwice>
{
    [Persisted] private List<string> _fired = new();

    public void Handle(IContext context, Schedule message) =>
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.Tag), message.Token);

    public void Handle(IContext context, Cancel message) => context.CancelDelayed(message.Token);

    // "Push the timeout back": what is pending with the token is cancelled, then one message is scheduled.
    public void Handle(IContext context, CancelThenSchedule message)
    {
        context.CancelDelayed(message.Token);
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.Tag), message.Token);
    }

    // The cancellation comes after the message it names: nothing stays scheduled.
    public void Handle(IContext context, ScheduleThenCancel message)
    {
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.Tag), message.Token);
        context.CancelDelayed(message.Token);
    }

    // The second message with the token replaces the first.
    public void Handle(IContext context, ScheduleTwice message)
    {
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.First), message.Token);
        context.SendAfter(TimeSpan.FromSeconds(message.DelaySeconds), At(context.Self.Id), new Tick(message.Second), message.Token);
    }

    public void Handle(IContext context, Tick message) => _fired.Add($"{message.Tag}@{context.Now:HH:mm:ss}");
}

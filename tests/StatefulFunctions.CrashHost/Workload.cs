namespace StatefulFunctions.CrashHost;

/// <summary>What one command of the workload does.</summary>
public enum CommandKind
{
    /// <summary>The source adds to a counter.</summary>
    Increment,

    /// <summary>The source asks one counter to add to another.</summary>
    ViaAnotherCounter,

    /// <summary>The source sends an addition after a short delay (it fires).</summary>
    Delayed,

    /// <summary>The source schedules an addition far in the future with a token; a later command cancels it.</summary>
    DelayedToCancel,

    /// <summary>The source cancels the pending addition of an earlier <see cref="DelayedToCancel"/>.</summary>
    Cancel,

    /// <summary>The source emits an egress record naming the command.</summary>
    Egress,
}

/// <summary>One command of the seeded workload.</summary>
public sealed record WorkloadCommand(long Index, CommandKind Kind, string Counter, string OtherCounter, long Amount, int DelayMs, long CancelsIndex);

/// <summary>
/// The seeded workload of the crash test, computed the same way by the child host (which runs it) and the test
/// (which computes the expected outcome with <see cref="ExpectedCounters"/>).
/// </summary>
public static class Workload
{
    public const int Counters = 40;

    public static IReadOnlyList<WorkloadCommand> Create(int seed, int count)
    {
        var random = new Random(seed);
        var commands = new List<WorkloadCommand>(count);
        var toCancel = new Queue<long>();
        for (long i = 0; i < count; i++)
        {
            var counter = CounterId(random.Next(Counters));
            var other = CounterId(random.Next(Counters));
            var amount = random.Next(1, 10);
            var roll = random.Next(100);
            var kind = roll switch
            {
                < 45 => CommandKind.Increment,
                < 65 => CommandKind.ViaAnotherCounter,
                < 75 => CommandKind.Delayed,
                < 82 => CommandKind.DelayedToCancel,
                < 90 when toCancel.Count > 0 => CommandKind.Cancel,
                _ => CommandKind.Egress,
            };
            var cancels = kind == CommandKind.Cancel ? toCancel.Dequeue() : -1;
            if (kind == CommandKind.DelayedToCancel)
            {
                toCancel.Enqueue(i);
            }

            commands.Add(new WorkloadCommand(i, kind, counter, other, amount, random.Next(0, 400), cancels));
        }

        // Every far-future addition is cancelled before the end, so none of them ever counts.
        foreach (var pending in toCancel)
        {
            commands.Add(new WorkloadCommand(commands.Count, CommandKind.Cancel, CounterId(0), CounterId(0), 0, 0, pending));
        }

        return commands;
    }

    /// <summary>The value every counter must end with when each command took effect exactly once.</summary>
    public static Dictionary<string, long> ExpectedCounters(IReadOnlyList<WorkloadCommand> commands)
    {
        var counters = Enumerable.Range(0, Counters).ToDictionary(CounterId, _ => 0L);
        foreach (var command in commands)
        {
            switch (command.Kind)
            {
                case CommandKind.Increment:
                case CommandKind.Delayed:
                    counters[command.Counter] += command.Amount;
                    break;
                case CommandKind.ViaAnotherCounter:
                    counters[command.OtherCounter] += command.Amount;
                    break;
            }
        }

        return counters;
    }

    public static string Token(long index) => $"cmd-{index}";

    public static string CounterId(int index) => $"c{index}";
}

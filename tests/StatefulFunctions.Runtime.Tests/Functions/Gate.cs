using System.Collections.Concurrent;

namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Holds every message until the test opens the gate of its address, to keep the runtime's queue full.</summary>
[StatefulFunction("tests/gate")]
public sealed partial class Gate : IHandleAsync<Hold>, IHandleAsync<HoldAndCount>
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Arrivals = new();

    [Persisted] private int _passed;

    /// <summary>Closes the gate of instance <paramref name="id"/>; returns the action that opens it.</summary>
    public static Action Close(string id)
    {
        var gate = Gates[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Arrivals[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return () => gate.TrySetResult();
    }

    /// <summary>Completes once a message reached the closed gate of instance <paramref name="id"/> and waits there.</summary>
    public static Task Reached(string id) => Arrivals[id].Task;

    public async ValueTask HandleAsync(IContext context, Hold message)
    {
        Arrivals[context.Self.Id].TrySetResult();
        await Gates[context.Self.Id].Task;
        _passed++;
    }

    public async ValueTask HandleAsync(IContext context, HoldAndCount message)
    {
        Arrivals[context.Self.Id].TrySetResult();
        await Gates[context.Self.Id].Task;
        _passed++;
        context.Reply(_passed);
    }
}

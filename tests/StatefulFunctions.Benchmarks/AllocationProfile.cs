using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// With <c>--alloc-profile</c>: samples allocations in-process (the runtime's AllocationTick event, one per ~100 KB
/// allocated) and prints the types that took most, so a run shows what each message allocates.
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a], CultureInfo.InvariantCulture) : 0;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    public void Print(int messages)
    {
        var total = _bytes.Values.Sum();
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(15))
        {
            Console.WriteLine(FormattableString.Invariant($"# alloc {100.0 * bytes / Math.Max(1, total),5:0.0}% ~{bytes / (double)messages,6:0} B/msg {type}"));
        }

        _bytes.Clear();
    }
}

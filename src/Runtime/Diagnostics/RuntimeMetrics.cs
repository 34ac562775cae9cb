using System.Diagnostics;
using System.Diagnostics.Metrics;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The instruments of the <c>StatefulFunctions</c> meter, shared by every runtime in the process. Each recording
/// method returns at once when its instrument has no listener, so the message path pays one flag read per
/// instrument and allocates nothing; tags are built only for a listener.
/// </summary>
internal static class RuntimeMetrics
{
    private static readonly Meter Meter = new(StatefulFunctionsDiagnostics.MeterName);

    private static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "statefulfunctions.messages.received", "{message}", "Messages delivered to a function's shard inbox.");

    private static readonly Counter<long> Handled = Meter.CreateCounter<long>(
        "statefulfunctions.messages.handled", "{message}", "Messages whose handler returned and whose state change was captured.");

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "statefulfunctions.messages.sent", "{message}", "Messages sent by handlers (delayed ones included), released after the handler's commit; tagged by target function type.");

    private static readonly Counter<long> Ingested = Meter.CreateCounter<long>(
        "statefulfunctions.messages.ingested", "{message}", "Messages accepted from the client or an ingress; tagged by target function type.");

    private static readonly Counter<long> Deduplicated = Meter.CreateCounter<long>(
        "statefulfunctions.messages.deduplicated", "{message}", "Sends and asks from outside whose idempotency key was already used for the same message: acknowledged again, not delivered again; tagged by target function type.");

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "statefulfunctions.messages.dead_lettered", "{message}", "Messages moved to the dead letters.");

    private static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram(
        "statefulfunctions.handler.duration",
        "s",
        "Time of one handler attempt: dispatch to the handler and capture of its state.",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Histogram<int> CommitBatchSize = Meter.CreateHistogram(
        "statefulfunctions.commit.batch_size",
        "{unit}",
        "Units (handled messages, accepted messages, dead letters, acknowledgements) written by one group commit.",
        tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000] });

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "statefulfunctions.commit.duration",
        "s",
        "Time of one group commit's append to the commit log and its flush to disk.",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    private static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "statefulfunctions.cache.hits", "{activation}", "Messages whose instance was warm in the cache.");

    private static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "statefulfunctions.cache.misses", "{activation}", "Messages whose instance had to be activated from the store.");

    private static readonly Counter<long> CacheEvictions = Meter.CreateCounter<long>(
        "statefulfunctions.cache.evictions", "{activation}", "Warm instances swapped out to keep the cache within its bound.");

    private static readonly Counter<long> EgressRecords = Meter.CreateCounter<long>(
        "statefulfunctions.egress.records", "{record}", "Egress records emitted by handlers, released after the handler's commit.");

    private static readonly List<StatefulFunctionsRuntime> Runtimes = new();

    // Observed on collection only: reads every running runtime's shard inboxes.
    private static readonly ObservableGauge<long> InboxDepth = Meter.CreateObservableGauge(
        "statefulfunctions.shard.inbox.depth", ObserveInboxDepths, "{message}", "Messages queued in a shard's inbox and not yet taken by its loop.");

    public static bool InboxDepthEnabled => InboxDepth.Enabled;

    /// <summary>A started runtime whose shards the inbox depth gauge reads.</summary>
    public static void Register(StatefulFunctionsRuntime runtime)
    {
        lock (Runtimes)
        {
            Runtimes.Add(runtime);
        }
    }

    public static void Unregister(StatefulFunctionsRuntime runtime)
    {
        lock (Runtimes)
        {
            Runtimes.Remove(runtime);
        }
    }

    public static bool ReceivedEnabled => Received.Enabled;

    public static void MessageReceived(string functionType) =>
        Received.Add(1, FunctionTypeTag(functionType));

    /// <summary>A timestamp to pass to <see cref="HandlerAttempted"/>, or 0 when the handler duration has no listener.</summary>
    public static long HandlerStarting() => HandlerDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>One handler attempt ended; <paramref name="exception"/> is null when it succeeded.</summary>
    public static void HandlerAttempted(FunctionType type, long startTimestamp, Exception? exception)
    {
        if (exception is null && Handled.Enabled)
        {
            Handled.Add(1, FunctionTypeTag(type.TagValue));
        }

        if (startTimestamp != 0 && HandlerDuration.Enabled)
        {
            var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
            if (exception is null)
            {
                HandlerDuration.Record(seconds, FunctionTypeTag(type.TagValue));
            }
            else
            {
                HandlerDuration.Record(
                    seconds,
                    FunctionTypeTag(type.TagValue),
                    new KeyValuePair<string, object?>(StatefulFunctionsDiagnostics.ErrorTypeTag, exception.GetType().FullName));
            }
        }
    }

    public static bool SentEnabled => Sent.Enabled;

    public static void MessageSent(string targetFunctionType) =>
        Sent.Add(1, FunctionTypeTag(targetFunctionType));

    public static bool IngestedEnabled => Ingested.Enabled;

    public static void MessageIngested(string targetFunctionType) =>
        Ingested.Add(1, FunctionTypeTag(targetFunctionType));

    public static bool DeduplicatedEnabled => Deduplicated.Enabled;

    public static void MessageDeduplicated(string targetFunctionType) =>
        Deduplicated.Add(1, FunctionTypeTag(targetFunctionType));

    public static void MessageDeadLettered(string functionType) =>
        DeadLettered.Add(1, FunctionTypeTag(functionType));

    public static void CacheHit(FunctionType type)
    {
        if (CacheHits.Enabled)
        {
            CacheHits.Add(1, FunctionTypeTag(type.TagValue));
        }
    }

    public static void CacheMiss(FunctionType type)
    {
        if (CacheMisses.Enabled)
        {
            CacheMisses.Add(1, FunctionTypeTag(type.TagValue));
        }
    }

    public static void CacheEviction(FunctionType type)
    {
        if (CacheEvictions.Enabled)
        {
            CacheEvictions.Add(1, FunctionTypeTag(type.TagValue));
        }
    }

    public static bool EgressEnabled => EgressRecords.Enabled;

    public static void EgressRecordEmitted(string egress) =>
        EgressRecords.Add(1, new KeyValuePair<string, object?>(StatefulFunctionsDiagnostics.EgressTag, egress));

    /// <summary>A timestamp to pass to <see cref="Committed"/>, or 0 when the commit duration has no listener.</summary>
    public static long CommitStarting() => CommitDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>A group commit of <paramref name="units"/> units is on disk.</summary>
    public static void Committed(int units, long startTimestamp)
    {
        if (CommitBatchSize.Enabled)
        {
            CommitBatchSize.Record(units);
        }

        if (startTimestamp != 0 && CommitDuration.Enabled)
        {
            CommitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        }
    }

    /// <summary>
    /// One measurement per shard index. With several runtimes in one process (tests), the depths of the same shard
    /// index are added, so each tag set is reported once per collection.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveInboxDepths()
    {
        var depths = new List<long>();
        lock (Runtimes)
        {
            foreach (var runtime in Runtimes)
            {
                runtime.AddInboxDepths(depths);
            }
        }

        var measurements = new Measurement<long>[depths.Count];
        for (var shard = 0; shard < depths.Count; shard++)
        {
            measurements[shard] = new Measurement<long>(depths[shard], new KeyValuePair<string, object?>(StatefulFunctionsDiagnostics.ShardTag, shard));
        }

        return measurements;
    }

    private static KeyValuePair<string, object?> FunctionTypeTag(string functionType) =>
        new(StatefulFunctionsDiagnostics.FunctionTypeTag, functionType);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MemoryPack;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// What an operator reads from the <c>StatefulFunctions</c> meter and activity source: counts and durations per
/// function type, group commits, dead letters, and one trace that follows a message across sends, delays and a restart.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class ObservabilityTests : IDisposable
{
    private const string CounterType = "tests/counter";
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-observability-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Ten_increments_are_ten_handled_messages_of_the_counter_type_with_ten_handler_durations()
    {
        using var metrics = new MetricsCapture();
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }))
        {
            await SendTenIncrementsAsync(runtime);
        }

        Assert.Equal(10, metrics.Sum("statefulfunctions.messages.handled", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(10, metrics.Sum("statefulfunctions.messages.received", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(10, metrics.Sum("statefulfunctions.messages.ingested", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(0, metrics.Sum("statefulfunctions.messages.sent", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        var durations = metrics.Values("statefulfunctions.handler.duration", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType);
        Assert.Equal(10, durations.Count);
        Assert.All(durations, seconds => Assert.InRange(seconds, 0, 30));

        // One address: activated once, then warm for the other nine.
        Assert.Equal(1, metrics.Sum("statefulfunctions.cache.misses", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(9, metrics.Sum("statefulfunctions.cache.hits", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));

        // The counter emits a record per increment; in memory there is no group commit.
        Assert.Equal(10, metrics.Sum("statefulfunctions.egress.records", StatefulFunctionsDiagnostics.EgressTag, "tests/counts"));
        Assert.Empty(metrics.Values("statefulfunctions.commit.batch_size"));
    }

    [Fact]
    public async Task Retries_with_an_idempotency_key_are_counted_as_deduplicated_not_as_ingested()
    {
        using var metrics = new MetricsCapture();
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }))
        {
            await runtime.StartAsync();
            var counter = Counter.At(Guid.NewGuid().ToString("N")).Untyped;
            for (var i = 0; i < 3; i++)
            {
                await runtime.Client.SendAsync(counter, new Increment(1), "the-key");
            }

            await runtime.WhenIdleAsync();
        }

        Assert.Equal(1, metrics.Sum("statefulfunctions.messages.ingested", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(2, metrics.Sum("statefulfunctions.messages.deduplicated", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(1, metrics.Sum("statefulfunctions.messages.handled", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
    }

    [Fact]
    public async Task With_LiteDB_every_unit_goes_through_a_recorded_group_commit()
    {
        using var metrics = new MetricsCapture();
        using (var store = new LiteDbStateStore(Path.Combine(_folder, "app.db")))
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }, store))
        {
            await SendTenIncrementsAsync(runtime);
        }

        Assert.Equal(10, metrics.Sum("statefulfunctions.messages.handled", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(10, metrics.Sum("statefulfunctions.messages.ingested", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));

        // Ten accepted messages and ten handled ones, each a unit of some group commit.
        var batches = metrics.Values("statefulfunctions.commit.batch_size");
        Assert.NotEmpty(batches);
        Assert.All(batches, units => Assert.True(units >= 1, $"A group commit of {units} units was recorded."));
        Assert.True(batches.Sum() >= 20, $"The group commits held {batches.Sum()} units, fewer than the 20 accepted and handled messages.");
        var latencies = metrics.Values("statefulfunctions.commit.duration");
        Assert.Equal(batches.Count, latencies.Count);
        Assert.All(latencies, seconds => Assert.InRange(seconds, 0, 30));
    }

    [Fact]
    public async Task A_message_that_fails_every_attempt_is_one_dead_letter_after_three_failed_durations()
    {
        using var metrics = new MetricsCapture();
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null);
        await app.Client.SendAsync(Faulty.At(Guid.NewGuid().ToString("N")).Untyped, new Boom(Attempts: 3));
        await app.RunUntilIdleAsync();

        Assert.Equal(1, metrics.Sum("statefulfunctions.messages.dead_lettered", StatefulFunctionsDiagnostics.FunctionTypeTag, "tests/faulty"));
        Assert.Equal(0, metrics.Sum("statefulfunctions.messages.handled", StatefulFunctionsDiagnostics.FunctionTypeTag, "tests/faulty"));
        Assert.Equal(3, metrics.Values("statefulfunctions.handler.duration", StatefulFunctionsDiagnostics.ErrorTypeTag, typeof(InvalidOperationException).FullName!).Count);

        // The failed attempts' sends and egress records never escaped.
        Assert.Equal(0, metrics.Sum("statefulfunctions.messages.sent", StatefulFunctionsDiagnostics.FunctionTypeTag, CounterType));
        Assert.Equal(0, metrics.Sum("statefulfunctions.egress.records", StatefulFunctionsDiagnostics.EgressTag, "tests/counts"));
    }

    [Fact]
    public async Task The_inbox_depth_gauge_shows_the_messages_waiting_behind_a_held_one()
    {
        using var metrics = new MetricsCapture();
        var id = Guid.NewGuid().ToString("N");
        var open = Gate.Close(id);
        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null);
        var gate = Gate.At(id).Untyped;
        try
        {
            // The first message is taken by the loop (its instance activated) and held in its handler.
            await app.Client.SendAsync(gate, new Hold());
            await WaitUntilAsync(() => metrics.Sum("statefulfunctions.cache.misses", StatefulFunctionsDiagnostics.FunctionTypeTag, "tests/gate") == 1);
            for (var i = 0; i < 3; i++)
            {
                await app.Client.SendAsync(gate, new Hold());
            }

            metrics.Observe();
            Assert.Equal([3], metrics.Values("statefulfunctions.shard.inbox.depth", StatefulFunctionsDiagnostics.ShardTag, 0));
        }
        finally
        {
            open(); // or stopping the application would wait for the held messages forever
        }

        await app.RunUntilIdleAsync();
        metrics.Observe();
        Assert.Equal([3, 0], metrics.Values("statefulfunctions.shard.inbox.depth", StatefulFunctionsDiagnostics.ShardTag, 0));
    }

    [Fact]
    public async Task A_message_sent_by_a_handler_is_handled_in_a_child_span_of_that_handler()
    {
        using var spans = new SpanCapture();
        var sender = Sender.At(Guid.NewGuid().ToString("N")).Untyped;
        var target = Guid.NewGuid().ToString("N");
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2 }))
        {
            await runtime.StartAsync();
            await runtime.Client.SendAsync(sender, new Burst(target, 3));
            await runtime.WhenIdleAsync();
        }

        var send = Assert.Single(spans.Where("send tests/sender"));
        Assert.Equal(ActivityKind.Producer, send.Kind);
        var handler = Assert.Single(spans.Handling("tests/sender", sender.Id));
        Assert.Equal(("tests/sender handle Burst", ActivityKind.Consumer), (handler.DisplayName, handler.Kind));
        Assert.Equal(typeof(Burst).FullName, handler.GetTagItem(StatefulFunctionsDiagnostics.MessageTypeTag));
        Assert.Equal((send.TraceId, send.SpanId), (handler.TraceId, handler.ParentSpanId));

        var handled = spans.Handling(CounterType, target);
        Assert.Equal(3, handled.Count);
        Assert.All(handled, span =>
        {
            Assert.Equal("tests/counter handle Sequenced", span.DisplayName);
            Assert.Equal(handler.TraceId, span.TraceId);
            Assert.Equal(handler.SpanId, span.ParentSpanId);
        });
    }

    [Fact]
    public async Task A_client_send_under_an_outer_activity_is_handled_in_the_same_trace_and_egress_is_an_event()
    {
        using var spans = new SpanCapture();
        var counter = Counter.At(Guid.NewGuid().ToString("N")).Untyped;
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()]);
        await runtime.StartAsync();

        ActivityTraceId trace;
        using (var outer = SpanCapture.Tests.StartActivity("request"))
        {
            Assert.NotNull(outer);
            trace = outer.TraceId;
            await runtime.Client.SendAsync(counter, new Increment(1));
            Assert.Same(outer, Activity.Current); // the client's span does not stay current in the caller
        }

        await runtime.WhenIdleAsync();
        var request = Assert.Single(spans.Where("request"));
        var send = Assert.Single(spans.Where("send tests/counter"));
        var handler = Assert.Single(spans.Handling(CounterType, counter.Id));
        Assert.Equal((trace, request.SpanId), (send.TraceId, send.ParentSpanId));
        Assert.Equal((trace, send.SpanId), (handler.TraceId, handler.ParentSpanId));

        var egress = Assert.Single(handler.Events);
        Assert.Equal("egress", egress.Name);
        Assert.Contains(new KeyValuePair<string, object?>(StatefulFunctionsDiagnostics.EgressTag, "tests/counts"), egress.Tags);
    }

    [Fact]
    public async Task An_event_ingested_under_an_outer_activity_is_an_ingest_span_parent_of_the_handler_span()
    {
        using var spans = new SpanCapture();
        var id = Guid.NewGuid().ToString("N");
        await using var app = await Testing.TestApplication.StartAsync(new IngestModule());

        ActivityTraceId trace;
        using (var outer = SpanCapture.Tests.StartActivity("request"))
        {
            Assert.NotNull(outer);
            trace = outer.TraceId;
            await app.Client.IngestAsync(IngestModule.Ids, id);
        }

        await app.RunUntilIdleAsync();
        var request = Assert.Single(spans.Where("request"));
        var ingest = Assert.Single(spans.Where("ingest tests/ids"), s => s.TraceId == trace);
        Assert.Equal((ActivityKind.Producer, request.SpanId, "tests/ids"), (ingest.Kind, ingest.ParentSpanId, ingest.GetTagItem(StatefulFunctionsDiagnostics.IngressTag)));
        var handler = Assert.Single(spans.Handling(CounterType, id));
        Assert.Equal((trace, ingest.SpanId), (handler.TraceId, handler.ParentSpanId));
    }

    [Fact]
    public async Task A_delayed_message_recovered_after_a_restart_continues_the_trace_of_the_handler_that_sent_it()
    {
        using var spans = new SpanCapture();
        var alarm = Alarm.At(Guid.NewGuid().ToString("N")).Untyped;
        var path = Path.Combine(_folder, "restart.db");
        ActivityTraceId trace;
        using (var store = new LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            using (var outer = SpanCapture.Tests.StartActivity("request"))
            {
                Assert.NotNull(outer);
                trace = outer.TraceId;
                await app.Client.SendAsync(alarm, new Schedule("later", 60, null));
            }

            await app.RunUntilIdleAsync();
        }

        var scheduling = Assert.Single(spans.Handling("tests/alarm", alarm.Id));
        Assert.Equal(trace, scheduling.TraceId);

        using (var store = new LiteDbStateStore(path))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.AdvanceAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(["later@00:01:00"], await app.GetStateAsync<List<string>>(alarm, "fired"));
        }

        var tick = Assert.Single(spans.Handling("tests/alarm", alarm.Id), s => s.DisplayName == "tests/alarm handle Tick");
        Assert.Equal((trace, scheduling.SpanId), (tick.TraceId, tick.ParentSpanId));
    }

    [Fact]
    public void A_message_logged_before_trace_context_was_stored_reads_with_none()
    {
        var old = new LoggedMessageWithoutTrace(7, "tests/alarm", "a", "tests/alarm", "a", "tick", [1, 2, 3], 946_684_860_000, "t");
        var bytes = MemoryPackSerializer.Serialize(old);

        var read = MemoryPackSerializer.Deserialize<LoggedMessage>(bytes);

        Assert.NotNull(read);
        Assert.Equal(
            (7L, "tests/alarm", "a", "tests/alarm", "a", "tick", 946_684_860_000L, "t", (string?)null),
            (read.Id, read.TargetType, read.TargetId, read.CallerType, read.CallerId, read.MessageType, read.DueUnixMs, read.Token, read.TraceParent));
        Assert.Equal([1, 2, 3], read.Payload);

        // And the field round-trips once it is there.
        var traced = read with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        Assert.Equal(traced.TraceParent, MemoryPackSerializer.Deserialize<LoggedMessage>(MemoryPackSerializer.Serialize(traced))!.TraceParent);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>An ingress without a source whose router sends an increment to the counter named by each event.</summary>
    private sealed class IngestModule : IStatefulFunctionModule, IRouter<string>
    {
        public static readonly IngressId<string> Ids = new("tests/ids");

        public void Configure(IModuleBuilder module) => module.AddEgress(TestModule.Counts).AddRouter(Ids, this);

        public void Route(string @event, IDownstream downstream) => downstream.Forward(Counter.At(@event).Untyped, new Increment(1));
    }

    /// <summary>Records every measurement of the <c>StatefulFunctions</c> meter while it lives.</summary>
    private sealed class MetricsCapture : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public MetricsCapture()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StatefulFunctionsDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        /// <summary>Reads the observable instruments (the inbox depth gauge) now.</summary>
        public void Observe() => _listener.RecordObservableInstruments();

        public List<double> Values(string instrument) =>
            _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();

        public List<double> Values(string instrument, string tag, object value) =>
            _measurements.Where(m => m.Instrument == instrument && m.Tags.Contains(new KeyValuePair<string, object?>(tag, value)))
                .Select(m => m.Value)
                .ToList();

        public double Sum(string instrument, string tag, object value) => Values(instrument, tag, value).Sum();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Records every span of the <c>StatefulFunctions</c> source (and of the tests' own source) that ends while it lives.</summary>
    private sealed class SpanCapture : IDisposable
    {
        public static readonly ActivitySource Tests = new("StatefulFunctions.Runtime.Tests");

        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanCapture()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is StatefulFunctionsDiagnostics.ActivitySourceName or "StatefulFunctions.Runtime.Tests",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Where(string name) => _stopped.Where(a => a.DisplayName == name).ToList();

        /// <summary>The handler spans of one instance.</summary>
        public List<Activity> Handling(string functionType, string id) =>
            _stopped.Where(a => a.Kind == ActivityKind.Consumer
                    && (string?)a.GetTagItem(StatefulFunctionsDiagnostics.FunctionTypeTag) == functionType
                    && (string?)a.GetTagItem(StatefulFunctionsDiagnostics.FunctionIdTag) == id)
                .ToList();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Starts the runtime, sends ten increments to a new counter and waits until they are handled.</summary>
    private static async Task SendTenIncrementsAsync(StatefulFunctionsRuntime runtime)
    {
        await runtime.StartAsync();
        var counter = Counter.At(Guid.NewGuid().ToString("N")).Untyped;
        for (var i = 0; i < 10; i++)
        {
            await runtime.Client.SendAsync(counter, new Increment(1));
        }

        await runtime.WhenIdleAsync();
    }
}

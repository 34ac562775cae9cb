using MemoryPack;
using StatefulFunctions.Flink.Protocol.Egress;

namespace StatefulFunctions.Flink.Tests;

[MemoryPackable, MessageType("test/ping")] public sealed partial record Ping(string Text);
[MemoryPackable, MessageType("test/pong")] public sealed partial record Pong(string Text, string? From);
[MemoryPackable, MessageType("test/rename")] public sealed partial record Rename(string? Name);
[MemoryPackable, MessageType("test/tag")] public sealed partial record Tag(string Value);
[MemoryPackable, MessageType("test/touch")] public sealed partial record Touch;
[MemoryPackable, MessageType("test/schedule")] public sealed partial record Schedule(int DelayMs, string? Token);
[MemoryPackable, MessageType("test/cancel")] public sealed partial record Cancel(string Token);
[MemoryPackable, MessageType("test/tick")] public sealed partial record Tick(int Number);
[MemoryPackable, MessageType("test/fail")] public sealed partial record Fail(string Reason);
[MemoryPackable, MessageType("test/publish")] public sealed partial record Publish(string Key, string Text);
[MemoryPackable, MessageType("test/order-placed")] public sealed partial record OrderPlaced(string OrderId, int Quantity);
[MemoryPackable, MessageType("test/receipt")] public sealed partial record Receipt(string Id, int Total);
[MemoryPackable, MessageType("test/ship")] public sealed partial record Ship(string Parcel, int Kilograms);
[MemoryPackable, MessageType("test/shipment")] public sealed partial record Shipment(string Parcel, int Kilograms, string Status);

/// <summary>The function of the protocol's test vectors: <c>com.example/greeter</c> with specs <c>seen:int</c> and <c>ttl_s:string</c> (60 s after write).</summary>
[StatefulFunction("com.example/greeter")]
public sealed partial class Greeter : IHandle<string>
{
    [Persisted] private int _seen;
    [Persisted(ExpireAfterWrite = "00:01:00")] private string? _ttlS;

    public void Handle(IContext context, string message)
    {
        _seen++;
        _ttlS = message;
    }
}

/// <summary>Adds the ints it gets; a batch of several adds up into one mutation.</summary>
[StatefulFunction("test/counter")]
public sealed partial class Counter : IHandle<int>, IHandle<Fail>
{
    [Persisted] private long _total;
    [Persisted] private int _calls = 100;

    public void Handle(IContext context, int message)
    {
        _total += message;
        _calls++;
    }

    public void Handle(IContext context, Fail message) => throw new InvalidOperationException(message.Reason);
}

/// <summary>Three members that a message changes, deletes, or leaves alone.</summary>
[StatefulFunction("test/profile")]
public sealed partial class Profile : IHandle<Rename>, IHandle<Tag>, IHandle<Touch>
{
    [Persisted] private string? _name;
    [Persisted] private List<string> _tags = new();
    [Persisted(ExpireAfterCall = "01:00:00")] private int _visits;

    public void Handle(IContext context, Rename message) => _name = message.Name;

    public void Handle(IContext context, Tag message)
    {
        if (message.Value.Length == 0)
        {
            _tags.Clear();
        }
        else
        {
            _tags.Add(message.Value);
        }
    }

    // Writes every member with the value it has: nothing changes.
    public void Handle(IContext context, Touch message)
    {
        _name = _name is null ? null : new string(_name);
        _tags = _tags.ToList();
        _visits += 0;
    }
}

/// <summary>Answers pings to their caller, or to the egress when nobody called.</summary>
[StatefulFunction("test/echo")]
public sealed partial class Echo : IHandle<Ping>, IHandle<Pong>
{
    public static readonly EgressId<Pong> Unanswered = new("test/unanswered");

    public void Handle(IContext context, Ping message)
    {
        if (context.Caller is { } caller)
        {
            context.Send(caller, new Pong(message.Text, context.Self.Id));
        }
        else
        {
            context.Emit(Unanswered, new Pong(message.Text, From: null));
        }
    }

    public void Handle(IContext context, Pong message)
    {
    }
}

/// <summary>Delayed messages with and without a cancellation token, and their cancellation.</summary>
[StatefulFunction("test/timer")]
public sealed partial class Timer : IHandle<Schedule>, IHandle<Cancel>, IHandle<Tick>
{
    [Persisted] private int _ticks;
    [Persisted] private int? _lastDelay;

    public void Handle(IContext context, Schedule message)
    {
        _lastDelay = message.DelayMs;
        context.SendAfter(TimeSpan.FromMilliseconds(message.DelayMs), context.Self, new Tick(_ticks), message.Token);
    }

    public void Handle(IContext context, Cancel message) => context.CancelDelayed(message.Token);

    public void Handle(IContext context, Tick message) => _ticks++;
}

/// <summary>Writes to a Kafka egress, a Kinesis egress and one of its own records.</summary>
[StatefulFunction("test/publisher")]
public sealed partial class Publisher : IHandle<Publish>, IHandle<OrderPlaced>
{
    public static readonly EgressId<KafkaProducerRecord> Kafka = new("com.example/kafka");
    public static readonly EgressId<KinesisEgressRecord> Kinesis = new("com.example/kinesis");
    public static readonly EgressId<Receipt> Receipts = new("test/receipts");

    public void Handle(IContext context, Publish message)
    {
        context.Emit(Kafka, KafkaEgress.Record("greetings", message.Key, message.Text));
        context.Emit(Kinesis, KinesisEgress.Record("greetings", message.Key, message.Text));
    }

    public void Handle(IContext context, OrderPlaced message) => context.Emit(Receipts, new Receipt(message.OrderId, message.Quantity * 10));
}

/// <summary>Emits its own record type to an egress the endpoint maps to a Kafka topic.</summary>
[StatefulFunction("test/shipper")]
public sealed partial class Shipper : IHandle<Ship>
{
    public static readonly EgressId<Shipment> Shipments = new("com.example/shipments");

    public void Handle(IContext context, Ship message) => context.Emit(Shipments, new Shipment(message.Parcel, message.Kilograms, "sent"));
}

public sealed class TestModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module) => module.AddEgress(Shipper.Shipments);
}

public enum StepKind
{
    Send,
    SendAfter,
    Cancel,
    SetName,
    SetNote,
    Increment,
    Kafka,
    Kinesis,
    Answer,
}

/// <summary>One effect or state write of a <see cref="Script"/>; <see cref="Text"/> is a value, a token or a target id.</summary>
[MemoryPackable]
public sealed partial record Step(StepKind Kind, string? Text = null, int DelayMs = 0, string? Token = null);

/// <summary>
/// The steps <see cref="Scripted"/> takes, in order: the differential tests' random invocations. It travels as JSON
/// (<c>UseJson&lt;Script&gt;()</c>), so the JavaScript reference function reads it too.
/// </summary>
[MemoryPackable, MessageType("test/script")]
public sealed partial record Script(List<Step> Steps);

/// <summary>
/// Does what each <see cref="Script"/> says, in order: sends, delayed sends with and without a token, cancellations,
/// writes of two partial properties (one with a time to live) and of a field, Kafka and Kinesis egress, and an
/// answer to the caller (or, without one, to Kafka).
/// </summary>
[StatefulFunction("test/scripted")]
public sealed partial class Scripted : IHandle<Script>
{
    public static readonly EgressId<KafkaProducerRecord> Kafka = new("com.example/kafka");
    public static readonly EgressId<KinesisEgressRecord> Kinesis = new("com.example/kinesis");

    [Persisted] private partial string? Name { get; set; }

    [Persisted(ExpireAfterWrite = "00:01:00")] private partial string? Note { get; set; }

    [Persisted] private int _count;

    public void Handle(IContext context, Script message)
    {
        foreach (var step in message.Steps)
        {
            switch (step.Kind)
            {
                case StepKind.Send:
                    context.Send(Greeter.At(step.Text!), "to " + step.Text);
                    break;
                case StepKind.SendAfter:
                    context.SendAfter(TimeSpan.FromMilliseconds(step.DelayMs), Greeter.At(context.Self.Id), "later", step.Token);
                    break;
                case StepKind.Cancel:
                    context.CancelDelayed(step.Token!);
                    break;
                case StepKind.SetName:
                    Name = step.Text;
                    break;
                case StepKind.SetNote:
                    Note = step.Text;
                    break;
                case StepKind.Increment:
                    _count++;
                    break;
                case StepKind.Kafka:
                    context.Emit(Kafka, KafkaEgress.Record("scripts", context.Self.Id, step.Text!));
                    break;
                case StepKind.Kinesis:
                    context.Emit(Kinesis, KinesisEgress.Record("scripts", context.Self.Id, step.Text!));
                    break;
                case StepKind.Answer:
                    if (context.Caller is { } caller)
                    {
                        context.Send(caller, "answer " + step.Text);
                    }
                    else
                    {
                        context.Emit(Kafka, KafkaEgress.Record("unanswered", context.Self.Id, step.Text!));
                    }

                    break;
            }
        }
    }
}

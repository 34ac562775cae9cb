using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Testing;

/// <summary>
/// Runs one instance of one function in isolation, on a manual clock: invoke it with messages, then inspect its
/// state and what it sent, scheduled, emitted and replied. Between messages the instance is swapped out and back
/// in through its generated serializer, as the runtime may do at any time, so state not marked
/// <c>[Persisted]</c> is lost here too.
/// </summary>
/// <typeparam name="TFunction">A <c>[StatefulFunction]</c> class.</typeparam>
public sealed class FunctionTestHarness<TFunction> : IInvocationHost
    where TFunction : class, IStatefulFunction
{
    private readonly FunctionType _type;
    private readonly ApplicationModel _model = new();
    private readonly InvocationContext _context;
    private readonly List<SentMessage> _sent = new();
    private readonly List<(TypeName Egress, object Record)> _emitted = new();
    private readonly List<object?> _replies = new();
    private readonly DelayedMessages _timers;
    private readonly List<Envelope> _dueForSelf = new();
    private readonly Dictionary<string, byte[]> _state;
    private long _lastRoute;

    /// <summary>Creates the harness for the instance <paramref name="id"/>.</summary>
    public FunctionTestHarness(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        _model.AddFunctionsOf(typeof(TFunction).Assembly);
        _type = _model.Find(typeof(TFunction))
            ?? throw new InvalidOperationException($"{typeof(TFunction).FullName} has no generated registration: is it a [StatefulFunction] and does its project run the StatefulFunctions generator?");
        Self = new Address(_type.Name, id);
        _state = new Dictionary<string, byte[]>(_type.InitialState, StringComparer.Ordinal);
        Function = Load();
        _context = new InvocationContext(this);
        _timers = new DelayedMessages(Clock, Fired);
    }

    /// <summary>The address of the instance under test.</summary>
    public Address Self { get; }

    /// <summary>The manual clock; starts at 2000-01-01 UTC.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));

    TimeProvider IInvocationHost.TimeProvider => Clock;

    /// <summary>Where <see cref="IContext.Logger"/> writes (nowhere unless set): e.g. a factory that writes to the test's output.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    ILogger IInvocationHost.LoggerOf(TypeName functionType) => LoggerFactory.CreateLogger(_type.LoggerCategory);

    /// <summary>The function object, as freshly loaded from its persisted state after the last message.</summary>
    public TFunction Function { get; private set; }

    /// <summary>The messages sent so far (delayed ones once they come due and are not for this instance).</summary>
    public IReadOnlyList<SentMessage> Sent => _sent;

    /// <summary>
    /// The replies given, in order: with <see cref="IContext.Reply(object)"/>, returned by an answering handler, or
    /// answered later through a <see cref="PendingReply{TReply}"/>.
    /// </summary>
    public IReadOnlyList<object?> Replies => _replies;

    /// <summary>The delayed messages not yet due, earliest first.</summary>
    public IReadOnlyList<PendingTimer> PendingTimers =>
        _timers.Pending().Select(d => new PendingTimer(d.Due, d.Envelope.Target, d.Envelope.Message, d.CancellationToken, d.Owner)).ToList();

    /// <summary>Runs the handler for <paramref name="message"/>. When it throws, its state changes and effects are discarded and the exception propagates.</summary>
    public async Task InvokeAsync(object message, Address? caller = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        _type.CheckHandles(message);
        var envelope = new Envelope(Self, caller, message, reply: null);
        if (_type.Expiry.Expire(_state, Clock.GetUtcNow()))
        {
            Function = Load();
        }

        _context.Begin(envelope);
        try
        {
            await ((IStatefulFunction)Function).DispatchAsync(_context, message).ConfigureAwait(false);
            _context.End();
            var writer = new StateWriter();
            writer.Begin(_state);
            ((IStatefulFunction)Function).WriteState(writer);
            var changed = writer.Changed;
            _type.Expiry.Stamp(ref changed, Clock.GetUtcNow());
            foreach (var (name, bytes) in changed ?? [])
            {
                _state[name] = bytes;
            }
        }
        finally
        {
            // Success or failure, the next message sees only committed state.
            Function = Load();
        }

        Release(_context.Effects);
    }

    /// <summary>Moves the clock forward: delayed messages for this instance are handled in due order, others join <see cref="Sent"/>.</summary>
    /// <remarks>The clock stops at each due time, so a handler sees the time its message was due as <see cref="IContext.Now"/>.</remarks>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var end = Clock.GetUtcNow() + delta;
        while (_timers.NextDue() is { } due && due <= end)
        {
            Clock.SetUtcNow(due > Clock.GetUtcNow() ? due : Clock.GetUtcNow());
            while (_dueForSelf.Count > 0)
            {
                var next = _dueForSelf[0];
                _dueForSelf.RemoveAt(0);
                await InvokeAsync(next.Message, next.Caller).ConfigureAwait(false);
            }
        }

        Clock.SetUtcNow(end);
    }

    /// <summary>Reads one persisted member: the value a new instance starts with until a handler writes it (and again once past its time to live).</summary>
    /// <exception cref="InvalidOperationException">The function declares no state <paramref name="stateName"/>, or declares it with another type than <typeparamref name="T"/>.</exception>
    public T? GetState<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string stateName) =>
        StateInspection.Read<T>(CurrentState(), stateName, Self.ToString(), _type);

    /// <summary>Reads one persisted member through its generated descriptor, e.g. <c>harness.GetState(Account.PersistedState.Balance)</c>.</summary>
    public T? GetState<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(PersistedMember<T> member) =>
        StateInspection.Read(CurrentState(), member, Self.ToString(), _type);

    private Dictionary<string, byte[]> CurrentState()
    {
        var state = new Dictionary<string, byte[]>(_state, StringComparer.Ordinal);
        _type.Expiry.Expire(state, Clock.GetUtcNow());
        return state;
    }

    /// <summary>Every record emitted to an egress so far, in order.</summary>
    public IReadOnlyList<T> Emitted<T>(EgressId<T> egress)
    {
        ArgumentNullException.ThrowIfNull(egress);
        return _emitted.Where(e => e.Egress == egress.Name).Select(e => (T)e.Record).ToList();
    }

    /// <summary>Forgets what was sent, emitted and replied so far (state and timers stay).</summary>
    public void ClearEffects()
    {
        _sent.Clear();
        _emitted.Clear();
        _replies.Clear();
    }

    void IInvocationHost.CheckDeliverable(Address target, object message)
    {
        // The same limit on an address as the runtime's: a send a test lets through would fail in production.
        AddressRules.CheckId(target);

        // Only targets whose function type is known here can be checked; others are someone else's module.
        if (_model.Functions.TryGetValue(target.Type, out var type))
        {
            type.CheckHandles(message);
        }
    }

    void IInvocationHost.CheckEgress(TypeName egress, Type recordType)
    {
    }

    /// <summary>Every message here is asked: a deferred reply, once answered, is in <see cref="Replies"/>.</summary>
    ReplyRoute? IInvocationHost.RouteOf(Envelope envelope) => envelope.ReplyTo ?? ReplyRoute.Waiter("test harness", ++_lastRoute);

    MessageTypeDescriptor IInvocationHost.ReplyTypeOf(Address asker, Type replyMessageType) =>
        ReplyMessages.DescriptorOf(_model.Functions[asker.Type], replyMessageType);

    Envelope IInvocationHost.AnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure) =>
        ReplyMessages.AnswerTo(
            _model.Functions.Values.SelectMany(f => f.Descriptor.MessageTypes).FirstOrDefault(m => m.Name == route.ReplyMessageType),
            route,
            from,
            status,
            value,
            failure);

    private TFunction Load()
    {
        var function = (TFunction)_type.Descriptor.Factory();
        ((IStatefulFunction)function).ReadState(new StateReader(_state, Self.ToString()));
        return function;
    }

    private void Release(Effects effects)
    {
        foreach (var send in effects.Sends)
        {
            _sent.Add(new SentMessage(send.Target, send.Caller, send.Message));
        }

        foreach (var delayed in effects.Delayed)
        {
            if (delayed.IsCancellation)
            {
                _timers.Cancel(Self, delayed.Token);
            }
            else
            {
                _timers.Schedule(Self, delayed.Token, delayed.Delay, delayed.Envelope);
            }
        }

        _emitted.AddRange(effects.Egress);
        if (effects.HasReply && !effects.ReplyDeferred)
        {
            _replies.Add(effects.Reply);
        }

        _replies.AddRange(effects.Answers.Where(answer => !answer.NoReply).Select(answer => answer.Value));
    }

    private void Fired(Envelope envelope)
    {
        if (envelope.Target == Self)
        {
            _dueForSelf.Add(envelope);
        }
        else
        {
            _sent.Add(new SentMessage(envelope.Target, envelope.Caller, envelope.Message));
        }
    }
}

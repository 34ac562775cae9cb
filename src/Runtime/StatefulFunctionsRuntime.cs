using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage;

namespace StatefulFunctions;

/// <summary>
/// The runtime of one process: shards with their dispatcher loops, the warm-state cache over an
/// <see cref="IStateStore"/>, delayed messages, egresses and ingresses. Usually started by the hosted service
/// that <c>AddStatefulFunctions</c> registers; tests may create and start one directly.
/// </summary>
public sealed partial class StatefulFunctionsRuntime : IAsyncDisposable, IInvocationHost
{
    private readonly ApplicationModel _model;
    private readonly Shard[] _shards;
    private readonly DelayedMessages _delayed;
    private readonly List<DeadLetter> _deadLetters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _ingressPumps = new();
    private TaskCompletionSource _idle = NewIdleSignal();
    private long _pending;
    private int _state; // 0 created, 1 started, 2 stopped

    /// <summary>Creates a runtime for the given modules.</summary>
    /// <param name="modules">The modules; each also registers the generated functions of its assembly.</param>
    /// <param name="options">Tuning; defaults when null.</param>
    /// <param name="store">Where swapped-out state lives; in memory when null.</param>
    /// <param name="timeProvider">The clock of <see cref="IContext.Now"/>, delayed messages and timeouts; the system clock when null.</param>
    /// <param name="loggerFactory">Where the runtime logs; nowhere when null.</param>
    public StatefulFunctionsRuntime(
        IEnumerable<IStatefulFunctionModule> modules,
        StatefulFunctionsOptions? options = null,
        IStateStore? store = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Options = options ?? new StatefulFunctionsOptions();
        Options.Validate();
        Store = store ?? new InMemoryStateStore();
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<StatefulFunctionsRuntime>();

        _model = new ApplicationModel();
        foreach (var module in modules)
        {
            _model.AddModule(module);
        }

        _model.Validate();
        Egress = new EgressHub(_model.Egresses);
        _delayed = new DelayedMessages(TimeProvider, DeliverDelayed);
        var perShardCache = Options.CacheBytes / Options.ShardCount;
        _shards = new Shard[Options.ShardCount];
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(this, i, perShardCache);
        }

        Client = new RuntimeClient(this);
    }

    /// <summary>The client that sends to, asks and reads from this runtime.</summary>
    public IStatefulFunctionsClient Client { get; }

    /// <summary>The registered function type names.</summary>
    public IEnumerable<TypeName> FunctionTypes => _model.Functions.Keys;

    /// <summary>How many messages have been handled (or dead-lettered) since the runtime started.</summary>
    public long MessagesHandled => _shards.Sum(s => s.Handled);

    internal StatefulFunctionsOptions Options { get; }

    internal IStateStore Store { get; }

    /// <summary>The clock of <see cref="IContext.Now"/>, delayed messages and timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal EgressHub Egress { get; }

    internal DelayedMessages Delayed => _delayed;

    internal ApplicationModel Model => _model;

    /// <summary>Raised when a message is delivered to a function (before its handler runs); for test harnesses.</summary>
    internal event Action<Envelope>? Delivering;

    /// <summary>Starts the dispatcher loops and the ingress sources.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The runtime was already started.");
        }

        foreach (var shard in _shards)
        {
            shard.Start();
        }

        foreach (var ingress in _model.Ingresses.Values.Where(i => i.HasSource))
        {
            _ingressPumps.Add(Task.Run(() => PumpAsync(ingress), CancellationToken.None));
        }

        LogStarted(Logger, _model.Functions.Count, _shards.Length);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops gracefully: stops the ingresses, lets the messages in flight finish (until
    /// <paramref name="cancellationToken"/> is cancelled), then stops the loops and writes warm state to the store.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_ingressPumps).ConfigureAwait(false);
        try
        {
            await WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(Logger, Interlocked.Read(ref _pending));
        }

        _delayed.Dispose();
        await Task.WhenAll(_shards.Select(s => s.StopAsync())).ConfigureAwait(false);
        Egress.Complete();
    }

    /// <summary>Completes when no message is queued or running (delayed messages not yet due do not count).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _idle);
            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _idle, NewIdleSignal(), signal);
                continue;
            }

            if (Interlocked.Read(ref _pending) == 0)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    void IInvocationHost.CheckEgress(TypeName egress, Type recordType) => Egress.CheckDeclared(egress, recordType);

    internal FunctionType GetFunctionType(TypeName name) =>
        _model.Functions.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"No function type '{name}' is registered: add the module of its assembly with AddModule<...>().");

    /// <summary>Fails fast on a message that could never be handled, instead of retrying and dead-lettering it.</summary>
    void IInvocationHost.CheckDeliverable(Address target, object message) => CheckDeliverable(target, message);

    internal void CheckDeliverable(Address target, object message)
    {
        if (string.IsNullOrEmpty(target.Id))
        {
            throw new ArgumentException($"The address of a message to '{target.Type}' has no id.", nameof(target));
        }

        GetFunctionType(target.Type).CheckHandles(message);
    }

    internal ValueTask SendAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        CheckDeliverable(target, message);
        Enqueue(new Envelope(target, caller, message, reply));
        return ValueTask.CompletedTask;
    }

    internal void Enqueue(Envelope envelope)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            ShardOf(envelope.Target).Enqueue(envelope);
        }
        catch
        {
            MessageDone();
            throw;
        }

        Delivering?.Invoke(envelope);
    }

    internal void MessageDone()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }
    }

    /// <summary>Releases the effects of a handler that returned: they escape only now.</summary>
    internal void Release(Envelope envelope, Effects effects)
    {
        foreach (var send in effects.Sends)
        {
            Enqueue(send);
        }

        foreach (var token in effects.Cancellations)
        {
            _delayed.Cancel(envelope.Target, token);
        }

        foreach (var (delay, delayed, token) in effects.DelayedSends)
        {
            _delayed.Schedule(envelope.Target, token, delay, delayed);
        }

        foreach (var (egress, record) in effects.Egress)
        {
            Egress.Publish(egress, record);
        }

        if (envelope.Reply is { } reply)
        {
            if (effects.HasReply)
            {
                reply.TrySetResult(effects.Reply);
            }
            else
            {
                reply.TrySetException(new InvalidOperationException(
                    $"{envelope.Target} handled {envelope.Message.GetType().FullName} without calling context.Reply(...), so AskAsync has no answer."));
            }
        }
    }

    internal void DeadLetter(Envelope envelope, Exception exception, int attempts)
    {
        var deadLetter = new DeadLetter(envelope.Target, envelope.Caller, envelope.Message, exception.ToString(), attempts, TimeProvider.GetUtcNow());
        lock (_deadLetters)
        {
            _deadLetters.Add(deadLetter);
        }

        LogDeadLettered(Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempts);
        envelope.Reply?.TrySetException(new DeadLetterException(
            $"{envelope.Target} failed to handle {envelope.Message.GetType().FullName} after {attempts} attempt(s); the message was dead-lettered.",
            exception));
    }

    internal IReadOnlyList<DeadLetter> GetDeadLetters()
    {
        lock (_deadLetters)
        {
            return _deadLetters.ToList();
        }
    }

    /// <summary>The committed state of an address (warm or stored), per member; null when it has none.</summary>
    internal Task<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address) =>
        ShardOf(address).RunOnLoopAsync(shard => shard.ReadStateAsync(address));

    internal int ShardIndexOf(Address address) => (int)(StableHash(address) % (uint)_shards.Length);

    /// <summary>How many instances are warm (in memory) across all shards.</summary>
    internal async Task<int> CountWarmAsync()
    {
        var counts = await Task.WhenAll(_shards.Select(s => s.RunOnLoopAsync(shard => ValueTask.FromResult(shard.WarmCount)))).ConfigureAwait(false);
        return counts.Sum();
    }

    /// <summary>
    /// FNV-1a over the type name and id: stable across processes and restarts (unlike string.GetHashCode),
    /// so an address always lands on the same shard.
    /// </summary>
    internal static uint StableHash(Address address)
    {
        var hash = 2166136261u;
        hash = Mix(hash, address.Type.Namespace);
        hash = Mix(hash, "/");
        hash = Mix(hash, address.Type.Name);
        hash = Mix(hash, "/");
        return Mix(hash, address.Id);

        static uint Mix(uint hash, string text)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return hash;
        }
    }

    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Shard ShardOf(Address address) => _shards[ShardIndexOf(address)];

    private void DeliverDelayed(Envelope envelope)
    {
        // Runs on a timer callback: an exception here would end the process. In memory, a delayed message that
        // comes due while the runtime stops is lost with the rest of its in-memory state.
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            Enqueue(envelope);
        }
        catch (InvalidOperationException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PumpAsync(IngressRegistration ingress)
    {
        try
        {
            await ingress.PumpAsync(this, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogIngressFailed(Logger, exception, ingress.Name);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Stateful functions runtime started: {FunctionTypes} function type(s) on {Shards} shard(s)")]
    private static partial void LogStarted(ILogger logger, int functionTypes, int shards);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Stopping before the runtime was idle: {Pending} message(s) still queued or running")]
    private static partial void LogStopTimedOut(ILogger logger, long pending);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Message {MessageType} to {Address} was dead-lettered after {Attempts} attempt(s)")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, Address address, string? messageType, int attempts);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Ingress {Ingress} failed and stopped reading")]
    private static partial void LogIngressFailed(ILogger logger, Exception exception, TypeName ingress);
}

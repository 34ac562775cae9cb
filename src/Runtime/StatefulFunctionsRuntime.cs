using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefulFunctions.Diagnostics;
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
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _ingressPumps = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TypeName, ILogger> _functionLoggers = new();
    private readonly Lazy<MessageCodec> _codec;
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
        _admission = new Admission(Options.MaxQueuedMessages, () => IsAcceptingWork);
        TimeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger<StatefulFunctionsRuntime>();

        _model = new ApplicationModel();
        foreach (var module in modules)
        {
            _model.AddModule(module);
        }

        _model.Validate();
        _codec = new Lazy<MessageCodec>(() => new MessageCodec(_model.MessageTypes, _model.ReplyTypes));
        Egress = new EgressHub(_model.Egresses);
        _delayed = new DelayedMessages(TimeProvider, DeliverDelayed);

        // The store chooses how work becomes real: at once (in memory, a custom store) or through the commit log.
        Commit = (store ?? new InMemoryStateStore()).Choose(new CommitPipelines(this));
        var perShardCache = Options.CacheBytes / Options.ShardCount;
        _shards = new Shard[Options.ShardCount];
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(this, i, perShardCache);
        }

        Client = new RuntimeClient(this);
        Services = new RuntimeServices(this);
    }

    /// <summary>The one way into this runtime for the adapters that ship with it.</summary>
    internal RuntimeServices Services { get; }

    /// <summary>The client that sends to, asks and reads from this runtime.</summary>
    public IStatefulFunctionsClient Client { get; }

    /// <summary>The registered function type names.</summary>
    public IEnumerable<TypeName> FunctionTypes => _model.Functions.Keys;

    /// <summary>How many messages have been handled (or dead-lettered) since the runtime started.</summary>
    public long MessagesHandled => _shards.Sum(s => s.Handled);

    internal StatefulFunctionsOptions Options { get; }

    /// <summary>Where the state of swapped-out instances is loaded from and saved to.</summary>
    internal IStateStore Store => Commit.ColdState;

    /// <summary>The clock of <see cref="IContext.Now"/>, delayed messages and timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    ILogger IInvocationHost.LoggerOf(TypeName functionType) =>
        _functionLoggers.GetOrAdd(functionType, static (type, runtime) =>
            runtime._loggerFactory.CreateLogger(runtime._model.Functions[type].LoggerCategory), this);

    internal EgressHub Egress { get; }

    internal DelayedMessages Delayed => _delayed;

    internal ApplicationModel Model => _model;

    /// <summary>Stored forms of messages, egress records and replies (the commit log's, and the hash of keyed messages).</summary>
    internal MessageCodec Codec => _codec.Value;

    /// <summary>
    /// True while the runtime is started, not stopping, and (with durable storage) its commit log works: it accepts
    /// work. What a readiness check reports.
    /// </summary>
    public bool IsAcceptingWork => Volatile.Read(ref _state) == 1 && Commit.Failure is null;

    /// <summary>How work becomes real: at once (in memory) or once the group commit has it on disk (durable storage).</summary>
    internal ICommitPipeline Commit { get; }

    /// <summary>
    /// Why the runtime accepts no work although it is started: its durable storage (commit log or checkpoint store)
    /// failed; null while it works. Every refusal since carries this failure as its inner exception.
    /// </summary>
    public Exception? StorageFailure => Commit.Failure;

    /// <summary>Test seam for the durable storage (read on every commit and checkpoint).</summary>
    internal StorageFaults? Faults { get; set; }

    /// <summary>Raised when a message is delivered to a function (before its handler runs); for test harnesses.</summary>
    internal event Action<Envelope>? Delivering;

    /// <summary>
    /// Starts the dispatcher loops and the ingress sources. With durable storage it first recovers: the last
    /// checkpoint plus the commit log after it, then every pending message is delivered again.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The runtime was already started.");
        }

        Commit.Start();

        foreach (var shard in _shards)
        {
            shard.Start();
        }

        // Like the shard loops, the pumps do not inherit the starter's ambient context (its Activity.Current).
        using (ExecutionContext.SuppressFlow())
        {
            foreach (var ingress in _model.Ingresses.Values.Where(i => i.HasSource))
            {
                _ingressPumps.Add(Task.Run(() => PumpAsync(ingress), CancellationToken.None));
            }
        }

        RuntimeMetrics.Register(this);
        LogStarted(Logger, _model.Functions.Count, _shards.Length);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops gracefully: stops the ingresses, lets the messages in flight finish (until
    /// <paramref name="cancellationToken"/> is cancelled, or at most <see cref="StatefulFunctionsOptions.StopTimeout"/>),
    /// then stops the loops and writes warm state to the store. Always completes: after a storage failure it does not
    /// wait for work that can no longer commit, and a handler that never returns is left behind (logged).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Options.StopTimeout);
        OfferRoom();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (!await CompletesAsync(Task.WhenAll(_ingressPumps), bound.Token).ConfigureAwait(false))
        {
            LogStopLeftBehind(Logger, "ingress pumps");
        }

        if (Commit.Failure is null)
        {
            try
            {
                await WhenIdleAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogStopTimedOut(Logger, _admission.Pending);
            }
        }

        _delayed.Dispose();
        RuntimeMetrics.Unregister(this);

        // A shard whose loop does not end (a handler that never returns) is left behind with its warm state: in
        // durable mode that state is in the commit log anyway.
        using var loops = new CancellationTokenSource(Options.StopTimeout);
        var stopped = await Task.WhenAll(_shards.Select(s => s.StopAsync(loops.Token))).ConfigureAwait(false);
        if (stopped.Contains(false))
        {
            LogStopLeftBehind(Logger, $"shard loop(s) {string.Join(", ", stopped.Select((done, i) => (done, i)).Where(s => !s.done).Select(s => s.i))}");
        }

        Commit.Stop(Options.StopTimeout);
        if (Commit.Failure is { } failure)
        {
            LogStoppedAfterFailure(Logger, failure.Message);
        }

        Egress.Complete(Commit.Refusal);
    }

    /// <summary>The durable storage failed (on the commit thread): waiting asks and egress readers are told at once.</summary>
    internal void StorageFailed(Exception refusal)
    {
        Egress.Complete(refusal);
        OfferRoom();
    }

    private static async Task<bool> CompletesAsync(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception)
        {
            // The task's own failure was logged where it happened (an ingress pump logs and ends).
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}

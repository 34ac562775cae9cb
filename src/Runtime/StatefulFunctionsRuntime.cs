using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MemoryPack;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Durability;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage;
using StatefulFunctions.Storage.Log;

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
    private readonly LiteDbStateStore? _checkpoints;
    private readonly IdempotencyTable _idempotency = new();
    private readonly Lazy<MessageCodec> _codec;
    private CommitLog? _log;
    private TaskCompletionSource _idle = NewIdleSignal();
    private long _pending;
    private long _lastDeadLetterId;
    private readonly object _roomGate = new();
    private TaskCompletionSource? _room;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
        store ??= new InMemoryStateStore();
        _checkpoints = store as LiteDbStateStore;
        Store = _checkpoints is null ? store : new DurableView(_checkpoints);
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<StatefulFunctionsRuntime>();

        _model = new ApplicationModel();
        foreach (var module in modules)
        {
            _model.AddModule(module);
        }

        _model.Validate();
        _codec = new Lazy<MessageCodec>(() => new MessageCodec(_model.MessageTypes));
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

    /// <summary>Stored forms of messages, egress records and replies (the commit log's, and the hash of keyed messages).</summary>
    internal MessageCodec Codec => _codec.Value;

    /// <summary>
    /// True while the runtime is started, not stopping, and (with durable storage) its commit log works: it accepts
    /// work. What a readiness check reports.
    /// </summary>
    public bool IsAcceptingWork => Volatile.Read(ref _state) == 1 && Committer?.HasFailed != true;

    /// <summary>The group committer in durable mode; null with in-memory storage, where effects are released at once.</summary>
    internal GroupCommitter? Committer { get; private set; }

    /// <summary>
    /// Why the runtime accepts no work although it is started: its durable storage (commit log or checkpoint store)
    /// failed; null while it works. Every refusal since carries this failure as its inner exception.
    /// </summary>
    public Exception? StorageFailure => Committer?.Failure;

    /// <summary>Faults once the durable storage failed, with the exception refusals carry; never completes otherwise.</summary>
    internal Task Failed => _failed.Task;

    /// <summary>Test seam for the durable storage (read on every commit and checkpoint).</summary>
    internal StorageFaults? Faults { get; set; }

    /// <summary>Messages queued or running plus units waiting for the group commit; never negative.</summary>
    internal long PendingCount => Interlocked.Read(ref _pending);

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

        if (_checkpoints is not null)
        {
            Recover(_checkpoints);
        }

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

        if (Committer?.HasFailed != true)
        {
            try
            {
                await WhenIdleAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogStopTimedOut(Logger, Interlocked.Read(ref _pending));
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

        Committer?.Stop(Options.StopTimeout);
        if (Committer?.Failure is { } failure)
        {
            LogStoppedAfterFailure(Logger, failure.Message);
        }

        _log?.Dispose();
        Egress.Complete(Committer?.Failure is { } failed ? GroupCommitter.Refusal(failed) : null);
    }

    /// <summary>The durable storage failed (on the commit thread): waiting asks and egress readers are told at once.</summary>
    internal void StorageFailed(Exception refusal)
    {
        _failed.TrySetException(refusal);
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

    /// <summary>The text of a function type name for a metric tag: formatted once for a registered type.</summary>
    internal string TagOf(TypeName name) => _model.Functions.TryGetValue(name, out var type) ? type.TagValue : name.ToString();

    /// <summary>Adds each shard's inbox depth to <paramref name="depths"/>, by shard index (for the inbox depth gauge).</summary>
    internal void AddInboxDepths(List<long> depths)
    {
        for (var i = 0; i < _shards.Length; i++)
        {
            if (depths.Count == i)
            {
                depths.Add(0);
            }

            depths[i] += _shards[i].InboxDepth;
        }
    }

    internal FunctionType GetFunctionType(TypeName name) =>
        _model.Functions.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"No function type '{name}' is registered: add the module of its assembly with AddModule<...>().");

    /// <summary>Fails fast on a message that could never be handled, instead of retrying and dead-lettering it.</summary>
    void IInvocationHost.CheckDeliverable(Address target, object message) => CheckDeliverable(target, message);

    internal void CheckDeliverable(Address target, object message)
    {
        AddressRules.CheckId(target);
        GetFunctionType(target.Type).CheckHandles(message);
    }

    internal ValueTask SendAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        CheckDeliverable(target, message);
        return Volatile.Read(ref _pending) < Options.MaxQueuedMessages
            ? AcceptAsync(target, message, caller, reply, cancellationToken)
            : WaitForRoomThenAcceptAsync(target, message, caller, reply, cancellationToken);
    }

    /// <summary>
    /// Sends a message from outside with an idempotency key: accepts it, or, when the key was already used for this
    /// address within the window, accepts nothing and waits for the original to be accepted. Returns the dedup record
    /// either way (an ask waits on it for the reply).
    /// </summary>
    /// <exception cref="IdempotencyConflictException">The key was used for a different message.</exception>
    internal async ValueTask<IdempotencyEntry> SendAsync(Address target, object message, string idempotencyKey, CancellationToken cancellationToken)
    {
        var (stored, hash) = PrepareKeyed(target, message, idempotencyKey, cancellationToken);
        await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        var entry = AcceptKeyed(target, message, idempotencyKey, stored, hash);

        // Acknowledged (again) once the message is accepted: a retry of a send still being committed waits for it.
        await entry.Accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Checks a keyed message and makes its stored form and hash (the same whether or not storage is durable).</summary>
    internal (StoredForm Stored, UInt128 Hash) PrepareKeyed(Address target, object message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        IdempotencyKeys.Validate(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        CheckDeliverable(target, message);
        var stored = Codec.Serialize(message);
        return (stored, IdempotencyKeys.Hash(stored));
    }

    /// <summary>
    /// Throws <see cref="IdempotencyConflictException"/> when <paramref name="idempotencyKey"/> is held for a different
    /// message to <paramref name="target"/>; adds nothing (an ingress checks every message of an event before it sends one).
    /// </summary>
    internal void CheckNoConflict(Address target, string idempotencyKey, string messageType, UInt128 hash)
    {
        var existing = _idempotency.FindLive(target, idempotencyKey, TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        if (existing is not null && existing.Hash != hash)
        {
            throw new IdempotencyConflictException(target, idempotencyKey, existing.MessageType, messageType);
        }
    }

    /// <summary>
    /// The atomic step of a keyed send: finds the key's live record or adds one, and in the same step (no await in
    /// between) submits the new message, so that two concurrent sends with one key never both get through.
    /// </summary>
    private IdempotencyEntry AcceptKeyed(Address target, object message, string idempotencyKey, StoredForm stored, UInt128 hash)
    {
        // The record is complete, with the task that says when its message is accepted, before it can be found: a
        // concurrent retry that finds it is acknowledged only once the original is.
        var envelope = new Envelope(target, caller: null, message, reply: null) { TraceParent = RuntimeTracing.CurrentTraceParent() };
        var queued = Committer is null ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        var accept = Committer is null ? null : new AcceptUnit(envelope);
        var now = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var candidate = new IdempotencyEntry(
            target, idempotencyKey, hash, stored.Name, now + (long)Options.IdempotencyWindow.TotalMilliseconds, accept?.Accepted ?? queued!.Task);
        var entry = _idempotency.GetOrAdd(candidate, now);
        if (entry != candidate)
        {
            if (entry.Hash != hash)
            {
                throw new IdempotencyConflictException(target, idempotencyKey, entry.MessageType, stored.Name);
            }

            if (RuntimeMetrics.DeduplicatedEnabled)
            {
                RuntimeMetrics.MessageDeduplicated(TagOf(target.Type));
            }

            return entry;
        }

        envelope.Idempotency = entry;
        try
        {
            if (accept is null)
            {
                Enqueue(envelope);
                Ingested(envelope);
                queued!.SetResult();
                entry.MarkAccepted();
            }
            else
            {
                envelope.Stored = stored;
                Committer!.Submit(accept);
            }
        }
        catch (Exception exception)
        {
            // Not accepted: the key is free again, and a concurrent retry that found the record fails too.
            _idempotency.Remove(entry);
            queued?.TrySetException(exception);
            accept?.Fail(exception);
            throw;
        }

        return entry;
    }

    private ValueTask WaitForRoomAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _pending) < Options.MaxQueuedMessages ? ValueTask.CompletedTask : WaitForRoomCoreAsync(cancellationToken);

    private async ValueTask WaitForRoomCoreAsync(CancellationToken cancellationToken)
    {
        // Once the runtime stops accepting work (stopping, or its storage failed) nobody waits for room: the send
        // goes on to be accepted or refused like any other.
        while (Volatile.Read(ref _pending) >= Options.MaxQueuedMessages && IsAcceptingWork)
        {
            TaskCompletionSource room;
            lock (_roomGate)
            {
                room = _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            // The waiter is published before the count is read again; whoever lowers the count reads it after.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _pending) < Options.MaxQueuedMessages || !IsAcceptingWork)
            {
                break;
            }

            await room.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Backpressure: a sender from outside waits until the queues have drained to half the bound, or until the count is
    /// below the bound where it settles (see <see cref="OfferRoom"/>).
    /// </summary>
    private async ValueTask WaitForRoomThenAcceptAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        await WaitForRoomCoreAsync(cancellationToken).ConfigureAwait(false);
        await AcceptAsync(target, message, caller, reply, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AcceptAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        // The sender's span (a client or ingest span, or an ASP.NET request) becomes the parent of the handler's.
        var envelope = new Envelope(target, caller, message, reply) { TraceParent = RuntimeTracing.CurrentTraceParent() };
        if (Committer is null)
        {
            Enqueue(envelope);
            Ingested(envelope);
            return ValueTask.CompletedTask;
        }

        // Durable: accepted once the record holding the message is on disk. A message that cannot be stored is
        // refused here, to the caller.
        envelope.Stored = Committer.Codec.Serialize(message);
        var accept = new AcceptUnit(envelope);
        Committer.Submit(accept);
        return new ValueTask(accept.Accepted.WaitAsync(cancellationToken));
    }

    internal void Enqueue(Envelope envelope)
    {
        WorkStarted();
        try
        {
            ShardOf(envelope.Target).Enqueue(envelope);
        }
        catch
        {
            WorkDone();
            throw;
        }

        if (RuntimeMetrics.ReceivedEnabled)
        {
            RuntimeMetrics.MessageReceived(TagOf(envelope.Target.Type));
        }

        Delivering?.Invoke(envelope);
    }

    /// <summary>A message from the client or an ingress was accepted (in durable mode: once it is on disk).</summary>
    internal void Ingested(Envelope envelope)
    {
        if (RuntimeMetrics.IngestedEnabled)
        {
            RuntimeMetrics.MessageIngested(TagOf(envelope.Target.Type));
        }
    }

    /// <summary>Counts a message queued or running, or a unit waiting for the group commit (see <see cref="WhenIdleAsync"/>).</summary>
    /// <summary>After a group commit: let shards swap out instances that have just become durable.</summary>
    internal void CommitReleased()
    {
        foreach (var shard in _shards)
        {
            shard.EvictIfOverBound();
        }
    }

    internal void WorkStarted() => Interlocked.Increment(ref _pending);

    internal void WorkDone(int count = 1)
    {
        var pending = Interlocked.Add(ref _pending, -count);
        if (pending == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }

        var half = Options.MaxQueuedMessages / 2;
        if (pending <= half && pending + count > half && Volatile.Read(ref _room) is not null)
        {
            LetSendersIn();
        }
    }

    /// <summary>
    /// Called where the count has settled (a shard about to wait for its inbox or in a handler, the group commit after
    /// a batch): a sender waiting for room goes on as soon as the count is below the bound. The count runs ahead of
    /// the work while a shard has not yet reported what it finished or a committed unit is being released; a sender
    /// that read it then must not wait for half the bound to drain when nothing is left that would drain it.
    /// </summary>
    internal void OfferRoom()
    {
        if (Volatile.Read(ref _room) is not null && (Volatile.Read(ref _pending) < Options.MaxQueuedMessages || !IsAcceptingWork))
        {
            LetSendersIn();
        }
    }

    private void LetSendersIn()
    {
        lock (_roomGate)
        {
            _room?.TrySetResult();
            _room = null;
        }
    }

    /// <summary>
    /// Releases the effects of a handler that returned: they escape only now (in durable mode, once committed;
    /// then the delayed messages carry their ids and due times, and egress records their ids).
    /// </summary>
    internal void Release(Envelope envelope, Effects effects, IReadOnlyList<long>? egressIds = null)
    {
        foreach (var send in effects.Sends)
        {
            Enqueue(send);
        }

        if (RuntimeMetrics.SentEnabled)
        {
            foreach (var send in effects.Sends)
            {
                RuntimeMetrics.MessageSent(TagOf(send.Target.Type));
            }

            foreach (var delayed in effects.Delayed)
            {
                if (!delayed.IsCancellation)
                {
                    RuntimeMetrics.MessageSent(TagOf(delayed.Envelope.Target.Type));
                }
            }
        }

        if (RuntimeMetrics.EgressEnabled)
        {
            foreach (var (egress, _) in effects.Egress)
            {
                RuntimeMetrics.EgressRecordEmitted(Egress.TagOf(egress));
            }
        }

        // In call order: a cancellation cancels what was scheduled before it, in this call or an earlier one.
        foreach (var delayed in effects.Delayed)
        {
            if (delayed.IsCancellation)
            {
                _delayed.Cancel(envelope.Target, delayed.Token);
            }
            else
            {
                _delayed.ScheduleAt(envelope.Target, delayed.Token, delayed.Envelope.Due ?? TimeProvider.GetUtcNow() + delayed.Delay, delayed.Envelope);
            }
        }

        for (var i = 0; i < effects.Egress.Count; i++)
        {
            Egress.Publish(effects.Egress[i].Egress, effects.Egress[i].Record, egressIds?[i] ?? 0);
        }

        // A message sent with an idempotency key keeps its outcome for retried asks (whether or not it was asked).
        envelope.Idempotency?.SetOutcome(effects.HasReply ? ReplyOutcome.Replied : ReplyOutcome.NoReply, effects.Reply);

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

    /// <summary>Moves a message that failed on every attempt to the dead letters (durably, in durable mode).</summary>
    internal void DeadLetter(Envelope envelope, Exception exception, int attempts)
    {
        LogDeadLettered(Logger, exception, envelope.Target, envelope.Message.GetType().FullName, attempts);
        RuntimeMetrics.MessageDeadLettered(TagOf(envelope.Target.Type));
        if (Committer is null)
        {
            AddDeadLetter(envelope, exception.ToString(), attempts, TimeProvider.GetUtcNow(), exception);
        }
        else
        {
            Committer.Submit(new DeadLetterUnit(envelope, exception, attempts, TimeProvider.GetUtcNow()));
        }
    }

    internal void AddDeadLetter(Envelope envelope, string exceptionText, int attempts, DateTimeOffset failedAt, Exception? exception)
    {
        long id;
        lock (_deadLetters)
        {
            // Durable: the message's own id (never reused). In memory: a number of its own.
            id = envelope.Id != 0 ? envelope.Id : ++_lastDeadLetterId;
            _deadLetters.Add(new DeadLetter(envelope.Target, envelope.Caller, envelope.Message, exceptionText, attempts, failedAt) { Id = id, Idempotency = envelope.Idempotency });
        }

        var text = DeadLetterText(envelope, attempts, id);
        envelope.Idempotency?.SetOutcome(ReplyOutcome.DeadLettered, detail: text);
        envelope.Reply?.TrySetException(new DeadLetterException(text, exception ?? new InvalidOperationException(exceptionText)));
    }

    /// <summary>What an ask of a dead-lettered message is told, with the id to find or re-drive the dead letter by.</summary>
    internal static string DeadLetterText(Envelope envelope, int attempts, long deadLetterId) =>
        $"{envelope.Target} failed to handle {envelope.Message.GetType().FullName} after {attempts} attempt(s); the message was dead-lettered as dead letter {deadLetterId}.";

    /// <summary>Sends a dead letter's message again (removing it from the dead letters in the same commit).</summary>
    internal Task RedriveDeadLetterAsync(long id)
    {
        DeadLetter deadLetter;
        lock (_deadLetters)
        {
            // Taken out at once, so a second re-drive of the same id fails instead of sending the message twice.
            deadLetter = _deadLetters.Find(d => d.Id == id) ?? throw new KeyNotFoundException($"There is no dead letter {id}.");
            _deadLetters.Remove(deadLetter);
        }

        var message = new Envelope(deadLetter.Target, deadLetter.Caller, deadLetter.Message, reply: null)
        {
            TraceParent = RuntimeTracing.CurrentTraceParent(),
            Idempotency = deadLetter.Idempotency,
        };
        if (Committer is null)
        {
            message.Idempotency?.SetOutcome(ReplyOutcome.Pending);
            Enqueue(message);
            return Task.CompletedTask;
        }

        var unit = new RedriveUnit(id, message);
        Committer.Submit(unit);
        return unit.Done;
    }

    /// <summary>A consumer is done with egress records; durable once the returned task completes.</summary>
    internal Task AcknowledgeEgressAsync(IReadOnlyList<long> recordIds)
    {
        if (Committer is null || recordIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var unit = new AcknowledgeUnit(recordIds);
        Committer.Submit(unit);
        return unit.Done;
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

    /// <summary>Rebuilds the durable view from the last checkpoint and the log after it, then re-delivers every pending message.</summary>
    private void Recover(LiteDbStateStore checkpoints)
    {
        var view = (DurableView)Store;
        var codec = Codec;
        var now = TimeProvider.GetUtcNow();
        var nowUnixMs = now.ToUnixTimeMilliseconds();
        var checkpoint = checkpoints.ReadCheckpoint(nowUnixMs);
        _log = CommitLog.Open(checkpoints.Path + ".log");

        var pending = checkpoint.Pending.ToDictionary(m => m.Id);
        var egress = checkpoint.Egress.ToDictionary(e => e.Id);
        var deadLetters = checkpoint.DeadLetters.ToDictionary(d => d.Message.Id);
        var keys = checkpoint.IdempotencyKeys.ToDictionary(k => k.RecordKey);
        var nextMessageId = checkpoint.NextMessageId;
        var nextEgressId = checkpoint.NextEgressId;
        var lastLsn = checkpoint.Lsn;
        foreach (var entry in _log.ReadFrom(checkpoint.Lsn + 1))
        {
            CommitRecord record;
            try
            {
                record = MemoryPackSerializer.Deserialize<CommitRecord>(entry.Payload.Span) ?? throw new InvalidDataException("empty record");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Record {entry.Lsn} of the commit log '{checkpoints.Path}.log' cannot be read: {exception.Message}", exception);
            }

            view.Apply(record);
            foreach (var added in record.Added)
            {
                pending[added.Id] = added;
                nextMessageId = Math.Max(nextMessageId, added.Id);
            }

            record.Consumed.ForEach(id => pending.Remove(id));
            foreach (var published in record.Egress)
            {
                egress[published.Id] = published;
                nextEgressId = Math.Max(nextEgressId, published.Id);
            }

            record.EgressAcknowledged.ForEach(id => egress.Remove(id));
            record.DeadLetters.ForEach(d => deadLetters[d.Message.Id] = d);
            record.DeadLettersRemoved.ForEach(id => deadLetters.Remove(id));
            record.IdempotencyKeys?.ForEach(k => keys[k.RecordKey] = k);
            foreach (var reply in record.Replies ?? [])
            {
                if (keys.TryGetValue(reply.RecordKey, out var key) && key.ExpiresUnixMs == reply.ExpiresUnixMs)
                {
                    keys[reply.RecordKey] = key.With(reply);
                }
            }

            lastLsn = entry.Lsn;
        }

        var typeNames = new TypeNameCache();
        foreach (var key in keys.Values.Where(k => k.ExpiresUnixMs > nowUnixMs))
        {
            _idempotency.Load(Restore(key, typeNames));
        }

        var messages = pending.Values.OrderBy(m => m.Id).Select(m => Link(codec.Decode(m), m)).ToList();
        Committer = new GroupCommitter(this, _log, view, codec);
        Committer.Start(nextMessageId, nextEgressId, lastLsn, messages.Where(m => m.Due is not null));

        foreach (var message in messages)
        {
            if (message.Due is { } due && due > now)
            {
                _delayed.ScheduleAt(message.Caller, message.Token, due, message);
            }
            else
            {
                Enqueue(message);
            }
        }

        foreach (var record in egress.Values.OrderBy(e => e.Id))
        {
            Egress.Publish(TypeName.Parse(record.Egress), codec.Deserialize(record.RecordType, record.Payload, $"Egress record {record.Id}"), record.Id);
        }

        foreach (var deadLetter in deadLetters.Values.OrderBy(d => d.Message.Id))
        {
            AddDeadLetter(Link(codec.Decode(deadLetter.Message), deadLetter.Message), deadLetter.Exception, deadLetter.Attempts, deadLetter.FailedAt, exception: null);
        }

        LogRecovered(Logger, lastLsn - checkpoint.Lsn, messages.Count, checkpoints.Path);

        // A recovered message sent with a key that is still remembered gets its outcome recorded when it is handled.
        Envelope Link(Envelope envelope, LoggedMessage stored)
        {
            if (stored.IdempotencyKey is { } key)
            {
                envelope.Idempotency = _idempotency.Find(envelope.Target, key, stored.IdempotencyExpiresUnixMs);
            }

            return envelope;
        }
    }

    /// <summary>A dedup record as read back from the checkpoint and the log: accepted, with its outcome so far.</summary>
    private static IdempotencyEntry Restore(LoggedIdempotencyKey stored, TypeNameCache typeNames)
    {
        var entry = new IdempotencyEntry(
            new Address(typeNames.Parse(stored.TargetType), stored.TargetId), stored.Key, stored.Hash, stored.MessageType, stored.ExpiresUnixMs, Task.CompletedTask);
        var outcome = (ReplyOutcome)stored.Outcome;
        var reply = outcome == ReplyOutcome.Replied && stored.ReplyType is not null ? new StoredForm(stored.ReplyType, stored.Reply ?? []) : (StoredForm?)null;
        entry.SetOutcome(outcome, storedReply: reply, detail: stored.Detail);
        return entry;
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

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Recovered {Records} log record(s) after the checkpoint and {Pending} pending message(s) from {Path}")]
    private static partial void LogRecovered(ILogger logger, long records, int pending, string path);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Stopping without waiting longer for the {What}: they did not finish within the stop timeout")]
    private static partial void LogStopLeftBehind(ILogger logger, string what);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "Stopped after a durable storage failure ({Failure}); the next start recovers from the commit log")]
    private static partial void LogStoppedAfterFailure(ILogger logger, string failure);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Ingress {Ingress} failed and stopped reading")]
    private static partial void LogIngressFailed(ILogger logger, Exception exception, TypeName ingress);
}

using System.Diagnostics.CodeAnalysis;
using StatefulFunctions.Generation;
using Microsoft.Extensions.Time.Testing;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Testing;

/// <summary>
/// A whole application (one or more modules) running in memory, or on a LiteDB file with <see cref="StartDurableAsync"/>,
/// on a manual clock, for a user's unit tests:
/// send or ask through <see cref="Client"/>, move time with <see cref="AdvanceAsync"/>, then inspect state,
/// delivered messages, egress records, pending timers and dead letters.
/// </summary>
public sealed class TestApplication : IAsyncDisposable
{
    private readonly List<SentMessage> _delivered = new();
    private readonly List<(TypeName Egress, object Record)> _emitted = new();

    /// <summary>The durable store <see cref="StartDurableAsync"/> opened; closed after the runtime when the application is disposed.</summary>
    private readonly LiteDbStateStore? _ownedStore;

    private TestApplication(StatefulFunctionsRuntime runtime, FakeTimeProvider clock, IStateStore store, LiteDbStateStore? ownedStore = null)
    {
        _ownedStore = ownedStore;
        Runtime = runtime;
        Clock = clock;
        Store = store;
        runtime.Services.Delivering += envelope =>
        {
            lock (_delivered)
            {
                _delivered.Add(new SentMessage(envelope.Target, envelope.Caller, envelope.Message));
            }
        };
        runtime.Services.Egress.Published += (egress, record) =>
        {
            lock (_emitted)
            {
                _emitted.Add((egress, record));
            }
        };
    }

    /// <summary>The manual clock; starts at 2000-01-01 UTC.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The running runtime.</summary>
    public StatefulFunctionsRuntime Runtime { get; }

    /// <summary>The client of the application.</summary>
    public IStatefulFunctionsClient Client => Runtime.Client;

    /// <summary>The store behind the warm-state cache.</summary>
    public IStateStore Store { get; }

    /// <summary>Every message delivered so far (from the client, ingresses, functions and timers), in delivery order.</summary>
    public IReadOnlyList<SentMessage> Delivered
    {
        get
        {
            lock (_delivered)
            {
                return _delivered.ToList();
            }
        }
    }

    /// <summary>The delayed messages not yet due, earliest first.</summary>
    public IReadOnlyList<PendingTimer> PendingTimers =>
        Runtime.Services.Delayed.Pending().Select(d => new PendingTimer(d.Due, d.Envelope.Target, d.Envelope.Message, d.CancellationToken, d.Owner)).ToList();

    /// <summary>The messages whose handler failed on every attempt.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters => Runtime.Client.GetDeadLetters();

    /// <summary>Starts an application of the given modules with a manual clock, one shard and no retry pauses.</summary>
    public static Task<TestApplication> StartAsync(params IStatefulFunctionModule[] modules) => StartAsync(modules, configure: null);

    /// <summary>Starts an application of the given modules with a manual clock; <paramref name="configure"/> tunes it.</summary>
    public static async Task<TestApplication> StartAsync(IEnumerable<IStatefulFunctionModule> modules, Action<StatefulFunctionsOptions>? configure, IStateStore? store = null)
    {
        var clock = NewClock();
        var options = CreateOptions(configure);
        store ??= new InMemoryStateStore();
        var runtime = new StatefulFunctionsRuntime(modules, options, store, clock);
        var application = new TestApplication(runtime, clock, store);
        await runtime.StartAsync().ConfigureAwait(false);
        return application;
    }

    /// <summary>
    /// Starts an application of the given modules with a manual clock on durable storage, as <c>UseLiteDb</c> gives
    /// an application: checkpoints in the LiteDB file <paramref name="databasePath"/> and a commit log beside it
    /// (<c>&lt;path&gt;.log/</c>). Dispose the application, then start another on the same path to test what
    /// survives a restart. The application owns the files and closes them when it is disposed.
    /// </summary>
    /// <param name="databasePath">The database file, e.g. <c>Path.Combine(folder, "app.db")</c>; its folder is created when missing.</param>
    /// <param name="modules">The modules of the application.</param>
    /// <param name="configure">Tunes the runtime (one shard and no retry pauses unless changed).</param>
    /// <exception cref="InvalidDataException">
    /// The file exists but is not a LiteDB file (it is left as it was), or recovery finds data it cannot read, e.g. a
    /// pending message of a type no function of <paramref name="modules"/> handles.
    /// </exception>
    public static async Task<TestApplication> StartDurableAsync(string databasePath, IEnumerable<IStatefulFunctionModule> modules, Action<StatefulFunctionsOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(modules);
        var store = new LiteDbStateStore(databasePath);
        StatefulFunctionsRuntime? runtime = null;
        try
        {
            var clock = NewClock();
            runtime = new StatefulFunctionsRuntime(modules, CreateOptions(configure), store, clock);
            var application = new TestApplication(runtime, clock, store, ownedStore: store);
            await runtime.StartAsync().ConfigureAwait(false);
            return application;
        }
        catch
        {
            // The runtime first (it holds the commit log and may write to the store as it stops), then the store: a failed
            // start leaves no file open, and the next application on the path can open them.
            if (runtime is not null)
            {
                await runtime.DisposeAsync().ConfigureAwait(false);
            }

            store.Dispose();
            throw;
        }
    }

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static StatefulFunctionsOptions CreateOptions(Action<StatefulFunctionsOptions>? configure)
    {
        var options = new StatefulFunctionsOptions { ShardCount = 1, RetryBackoff = static _ => TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Waits until no message is queued or running.</summary>
    public Task RunUntilIdleAsync() => Runtime.WhenIdleAsync();

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, stopping at each delayed message's due time so that it
    /// is handled then (and sees that time as <see cref="IContext.Now"/>), as on a real clock; runs until idle.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var end = Clock.GetUtcNow() + delta;
        await RunUntilIdleAsync().ConfigureAwait(false);
        while (Runtime.Services.Delayed.NextDue() is { } due && due <= end)
        {
            Clock.SetUtcNow(due > Clock.GetUtcNow() ? due : Clock.GetUtcNow());
            await RunUntilIdleAsync().ConfigureAwait(false);
        }

        Clock.SetUtcNow(end);
        await RunUntilIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one persisted member of an address (default when it has none).</summary>
    /// <param name="address">The instance.</param>
    /// <param name="stateName">The state name, e.g. <c>last_seen</c>.</param>
    /// <exception cref="InvalidOperationException">The function declares no state <paramref name="stateName"/>, or declares it with another type than <typeparamref name="T"/>.</exception>
    public async Task<T?> GetStateAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(Address address, string stateName)
    {
        var type = TypeOf(address);
        var state = await Runtime.Services.ReadStateAsync(address).ConfigureAwait(false);
        return StateInspection.Read<T>(state, stateName, address.ToString(), type);
    }

    /// <summary>Reads one persisted member of an address through its generated descriptor, e.g. <c>GetStateAsync(address, Account.PersistedState.Balance)</c>.</summary>
    public async Task<T?> GetStateAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(Address address, PersistedMember<T> member)
    {
        var type = TypeOf(address);
        var state = await Runtime.Services.ReadStateAsync(address).ConfigureAwait(false);
        return StateInspection.Read(state, member, address.ToString(), type);
    }

    private FunctionType TypeOf(Address address) =>
        Runtime.Services.Model.Functions.TryGetValue(address.Type, out var type)
            ? type
            : throw new InvalidOperationException($"No function type '{address.Type}' is registered in this application.");

    /// <summary>Every record emitted to an egress so far, in order (reading them here does not consume them).</summary>
    public IReadOnlyList<T> Emitted<T>(EgressId<T> egress)
    {
        ArgumentNullException.ThrowIfNull(egress);
        lock (_emitted)
        {
            return _emitted.Where(e => e.Egress == egress.Name).Select(e => (T)e.Record).ToList();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync().ConfigureAwait(false);
        _ownedStore?.Dispose();
    }
}

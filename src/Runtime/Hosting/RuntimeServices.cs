using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The one way into a runtime for the adapters that ship with it (ASP.NET Core endpoints, the StateFun remote
/// endpoint, the test harness): what they read and do, and nothing of how the runtime is built behind it.
/// Reached as <c>runtime.Services</c>.
/// </summary>
internal sealed class RuntimeServices(StatefulFunctionsRuntime runtime)
{
    /// <summary>The runtime's client: sends, asks and ingests as any caller from outside does.</summary>
    public IStatefulFunctionsClient Client => runtime.Client;

    /// <summary>The function types, message types, ingresses and egresses the modules added.</summary>
    public ApplicationModel Model => runtime.Model;

    /// <summary>The message types of the application, each with its stable name.</summary>
    public IEnumerable<MessageTypeDescriptor> MessageTypes => runtime.Model.MessageTypes;

    /// <summary>The egresses: their readers and the records published to them.</summary>
    public EgressHub Egress => runtime.Egress;

    /// <summary>Delayed messages not yet due (the test harness moves its clock over them).</summary>
    public DelayedMessages Delayed => runtime.Delayed;

    /// <summary>True while the runtime accepts work (see <see cref="StatefulFunctionsRuntime.IsAcceptingWork"/>).</summary>
    public bool IsAcceptingWork => runtime.IsAcceptingWork;

    /// <summary>Why the runtime's durable storage accepts no work, or null (see <see cref="StatefulFunctionsRuntime.StorageFailure"/>).</summary>
    public Exception? StorageFailure => runtime.StorageFailure;

    /// <summary>Raised when a message is delivered to a function, before its handler runs (for the test harness).</summary>
    public event Action<Envelope>? Delivering
    {
        add => runtime.Delivering += value;
        remove => runtime.Delivering -= value;
    }

    /// <summary>A consumer is done with egress records; durable once the returned task completes.</summary>
    public Task AcknowledgeEgressAsync(IReadOnlyList<long> recordIds) => runtime.AcknowledgeEgressAsync(recordIds);

    /// <summary>The committed state of an address, read on its shard's loop.</summary>
    public Task<IReadOnlyDictionary<string, byte[]>?> ReadStateAsync(Address address) => runtime.ReadStateAsync(address);
}

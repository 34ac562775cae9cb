using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink;

/// <summary>
/// What a handler's context checks when it runs behind StateFun. A message to a function type served here must be one
/// it handles; any other target may be served by another endpoint of the cluster, so its message only has to be
/// writable. An egress declared in a module must get records of its type; others belong to the cluster's module.yaml.
/// The id of the target follows the same rules as in the embedded runtime, so a handler fails alike on both hosts.
/// </summary>
internal sealed class RemoteInvocationHost(RemoteFunctionCatalog catalog, TimeProvider timeProvider, ILoggerFactory loggerFactory) : IInvocationHost
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TypeName, ILogger> _loggers = new();

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger LoggerOf(TypeName functionType) =>
        _loggers.GetOrAdd(functionType, type => catalog.Find(type) is { } served ? loggerFactory.CreateLogger(served.Type.LoggerCategory) : NullLogger.Instance);

    public void CheckDeliverable(Address target, object message)
    {
        AddressRules.CheckId(target);
        if (catalog.Find(target.Type) is { } served)
        {
            served.Type.CheckHandles(message);
        }

        _ = catalog.Codecs.For(message.GetType());
    }

    public void CheckEgress(TypeName egress, Type recordType)
    {
        if (catalog.Model.Egresses.TryGetValue(egress, out var declared) && declared != recordType)
        {
            throw new InvalidOperationException(
                $"Egress '{egress}' is declared for records of type {declared.FullName}, not {recordType.FullName}.");
        }

        _ = catalog.Codecs.For(recordType);
    }

    /// <summary>StateFun has no ask from outside: nobody waits for a reply (a deferred one answers nobody).</summary>
    public ReplyRoute? RouteOf(Envelope envelope) => null;

    public Generation.MessageTypeDescriptor ReplyTypeOf(Address asker, Type replyMessageType) => throw AsksNotServed();

    public Envelope AnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure) => throw AsksNotServed();

    private static NotSupportedException AsksNotServed() => new(
        "Asks between functions (context.Ask) are not served on a StateFun cluster: send a message and let the receiver send one back to context.Caller.");
}

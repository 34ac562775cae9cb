using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Every diagnostic the analyzers report. Ids are hand-assigned and never reused
/// (SFN0001–0099 analyzers, SFN0100–0199 generator-reported).
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "StatefulFunctions";
    private const string HelpLinkBase = "https://github.com/statefulfunctions/statefulfunctions/blob/main/docs/diagnostics/";

    /// <summary>SFN0001: a [StatefulFunction] class must be partial.</summary>
    public static readonly DiagnosticDescriptor ClassMustBePartial = Create(
        "SFN0001",
        "Stateful function class must be partial",
        "The stateful function class '{0}' must be declared partial so that its dispatch code can be generated",
        DiagnosticSeverity.Error);

    /// <summary>SFN0002: the function type name must be "namespace/name".</summary>
    public static readonly DiagnosticDescriptor InvalidTypeName = Create(
        "SFN0002",
        "Invalid function type name",
        "The function type name '{0}' is invalid: it must be 'namespace/name' with two non-empty parts separated by exactly one '/'",
        DiagnosticSeverity.Error);

    /// <summary>SFN0003: invalid TTL on [Persisted].</summary>
    public static readonly DiagnosticDescriptor InvalidTtl = Create(
        "SFN0003",
        "Invalid state expiration",
        "The expiration of persisted member '{0}' is invalid: {1}",
        DiagnosticSeverity.Error);

    /// <summary>SFN0004: the same message type is handled twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateHandler = Create(
        "SFN0004",
        "Message type handled twice",
        "The stateful function '{0}' handles message type '{1}' through more than one handler interface (IHandle<T>, IHandleAsync<T>, IHandle<T, TReply>, IHandleAsync<T, TReply>): keep one",
        DiagnosticSeverity.Error);

    /// <summary>SFN0005: blocking call or wait inside a handler.</summary>
    public static readonly DiagnosticDescriptor BlockingCallInHandler = Create(
        "SFN0005",
        "Blocking call or delay in a handler",
        "'{0}' holds the shard {1}",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0006: a [StatefulFunction] class the generator cannot use.</summary>
    public static readonly DiagnosticDescriptor UnusableFunctionClass = Create(
        "SFN0006",
        "Stateful function class cannot be generated",
        "The stateful function class '{0}' cannot be used by the generator: it {1}",
        DiagnosticSeverity.Error);

    /// <summary>SFN0007: the same function type name on two classes.</summary>
    public static readonly DiagnosticDescriptor DuplicateTypeName = Create(
        "SFN0007",
        "Function type name used twice",
        "The function type name '{0}' is already used by '{1}'",
        DiagnosticSeverity.Error);

    /// <summary>SFN0008: [Persisted] on a member the runtime cannot assign.</summary>
    public static readonly DiagnosticDescriptor PersistedMemberNotAssignable = Create(
        "SFN0008",
        "Persisted member cannot hold state",
        "The [Persisted] member '{0}' {1}; persisted state must be an instance field or a property with a regular setter",
        DiagnosticSeverity.Error);

    /// <summary>SFN0009: mutable static state in a function class.</summary>
    public static readonly DiagnosticDescriptor MutableStaticState = Create(
        "SFN0009",
        "Mutable static state in a stateful function",
        "The static {0} '{1}' {2}: its state is shared by all instances of the function and lost on restart; use [Persisted] instance state",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0010: async void method in a function class.</summary>
    public static readonly DiagnosticDescriptor AsyncVoidMethod = Create(
        "SFN0010",
        "Async void method in a stateful function",
        "'{0}' is async void: its exceptions and effects escape the runtime; return ValueTask (handlers implement IHandleAsync<T>)",
        DiagnosticSeverity.Error);

    /// <summary>SFN0011: non-persisted instance state changed in a handler or a method a handler calls.</summary>
    public static readonly DiagnosticDescriptor NonPersistedStateAssigned = Create(
        "SFN0011",
        "Non-persisted state changed in a handler",
        "'{0}' {1} but is not [Persisted]: its value is lost when the instance is swapped out",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0012: untyped send of a message the typed address's function does not handle.</summary>
    public static readonly DiagnosticDescriptor UnhandledMessageSent = Create(
        "SFN0012",
        "Message not handled by the target function",
        "The function '{0}' does not handle message type '{1}': it implements neither IHandle<{1}> nor IHandleAsync<{1}> (nor for a base type or interface of it)",
        DiagnosticSeverity.Error);

    /// <summary>SFN0013: the handler's IContext escapes the handler.</summary>
    public static readonly DiagnosticDescriptor ContextEscapesHandler = Create(
        "SFN0013",
        "Context escapes the handler",
        "The context '{0}' {1}; it is only valid while the handler runs",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0014: [Persisted] member of a type MemoryPack is not known to serialize (it may be made serializable).</summary>
    public static readonly DiagnosticDescriptor PersistedTypeNotSerializable = Create(
        "SFN0014",
        "Persisted member type cannot be serialized",
        "The [Persisted] member '{0}' has type '{1}', which MemoryPack is not known to serialize: {2}",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0015: the code breaks the state contract baseline (StatefulFunctions.Contracts.txt).</summary>
    public static readonly DiagnosticDescriptor StateContractBroken = Create(
        "SFN0015",
        "State contract baseline broken",
        "The function '{0}' breaks the state contract baseline: {1}",
        DiagnosticSeverity.Warning,
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>SFN0016: the state contract baseline file cannot be parsed.</summary>
    public static readonly DiagnosticDescriptor StateContractUnreadable = Create(
        "SFN0016",
        "State contract baseline cannot be read",
        "The state contract baseline cannot be read: line {0}: {1}",
        DiagnosticSeverity.Warning,
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>SFN0017: a state name that is not valid, or used by two members of one function.</summary>
    public static readonly DiagnosticDescriptor InvalidStateName = Create(
        "SFN0017",
        "Invalid state name",
        "The state name '{0}' of '{1}' {2}",
        DiagnosticSeverity.Error);

    /// <summary>SFN0018: a handled message type MemoryPack cannot serialize.</summary>
    public static readonly DiagnosticDescriptor MessageTypeNotSerializable = Create(
        "SFN0018",
        "Message type cannot be serialized",
        "The function handles '{0}', which MemoryPack cannot serialize ('{1}' is not supported); mark it [MemoryPackable] so the message can be stored and sent",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0019: a public message type without a pinned name: clients over HTTP would name it by its CLR name.</summary>
    public static readonly DiagnosticDescriptor PublicMessageWithoutName = Create(
        "SFN0019",
        "Public message type has no stable name",
        "'{0}' is a [PublicMessage] without [MessageType]: clients name it '{1}' (its full CLR name), which changes when the type is renamed or moved; pin a name such as [MessageType(\"{2}\")]",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0020: an answering handler returns another type than the reply its message asks for.</summary>
    public static readonly DiagnosticDescriptor ReplyTypeMismatch = Create(
        "SFN0020",
        "Reply type differs from the message's IAsk<TReply>",
        "The function '{0}' answers '{1}' with '{2}', but '{1}' is an IAsk<{3}>: an ask typed by the message would get a reply of the wrong type",
        DiagnosticSeverity.Error);

    /// <summary>SFN0021: a handler waits for another function's reply through the client.</summary>
    public static readonly DiagnosticDescriptor ClientAskInHandler = Create(
        "SFN0021",
        "Handler waits for another function",
        "'{0}' waits for another function's reply inside a handler: the shard stalls until it comes, and never gets it from an address of its own shard; ask with context.Ask(...) and handle the Reply<T>, or forward the ask with context.Forward(...)",
        DiagnosticSeverity.Warning);

    /// <summary>SFN0022: [Persisted] member of a type no serializer can store (a stream, a delegate, object, a pointer, a live resource).</summary>
    public static readonly DiagnosticDescriptor PersistedTypeNeverStorable = Create(
        "SFN0022",
        "Persisted member type can never be stored",
        "The [Persisted] member '{0}' has type '{1}', which can never be stored: {2}",
        DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, DiagnosticSeverity severity, params string[] customTags) =>
        new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md", customTags: customTags);
}

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
        "{0}",
        DiagnosticSeverity.Error);

    /// <summary>SFN0004: the same message type is handled twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateHandler = Create(
        "SFN0004",
        "Message type handled twice",
        "The stateful function '{0}' handles message type '{1}' through both IHandle<T> and IHandleAsync<T>",
        DiagnosticSeverity.Error);

    /// <summary>SFN0005: blocking call inside a handler.</summary>
    public static readonly DiagnosticDescriptor BlockingCallInHandler = Create(
        "SFN0005",
        "Blocking call in a handler",
        "'{0}' blocks the shard's dispatcher thread; use IHandleAsync<T> and await instead",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, DiagnosticSeverity severity) =>
        new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}

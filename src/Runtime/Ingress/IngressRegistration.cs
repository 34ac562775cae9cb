namespace StatefulFunctions.Runtime;

/// <summary>An ingress: its optional source and its routers.</summary>
internal abstract class IngressRegistration(TypeName name)
{
    public TypeName Name { get; } = name;

    /// <summary>The name as text (<c>namespace/name</c>), for the span of each event it routes.</summary>
    public string NameText { get; } = name.ToString();

    /// <summary>The name of the span of each event it routes.</summary>
    public string IngestSpanName { get; } = "ingest " + name;

    public abstract Type EventType { get; }

    public abstract bool HasSource { get; }

    public abstract int RouterCount { get; }

    /// <summary>Pumps the source (if any) until it ends or the runtime stops.</summary>
    public abstract Task PumpAsync(StatefulFunctionsRuntime runtime, CancellationToken cancellationToken);

    /// <summary>
    /// Routes one event and sends what the routers forward; with <paramref name="idempotencyKey"/>, each message with a
    /// key derived from it (see <see cref="IdempotencyKeys.Derive"/>).
    /// </summary>
    public abstract ValueTask RouteAsync(StatefulFunctionsRuntime runtime, object @event, string? idempotencyKey, CancellationToken cancellationToken);
}

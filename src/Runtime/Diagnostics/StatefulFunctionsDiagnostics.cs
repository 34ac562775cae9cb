namespace StatefulFunctions.Diagnostics;

/// <summary>
/// The names under which the runtime publishes its metrics and traces, for OpenTelemetry registration:
/// <c>.WithMetrics(m =&gt; m.AddMeter(StatefulFunctionsDiagnostics.MeterName))</c> and
/// <c>.WithTracing(t =&gt; t.AddSource(StatefulFunctionsDiagnostics.ActivitySourceName))</c>.
/// </summary>
public static class StatefulFunctionsDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of every runtime in the process.</summary>
    public const string MeterName = "StatefulFunctions";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of every runtime in the process.</summary>
    public const string ActivitySourceName = "StatefulFunctions";

    /// <summary>The tag holding a function type name (<c>namespace/name</c>) on metrics and spans.</summary>
    public const string FunctionTypeTag = "function.type";

    /// <summary>The tag holding a function instance id on spans.</summary>
    public const string FunctionIdTag = "function.id";

    /// <summary>The tag holding the stable name of a message type on spans.</summary>
    public const string MessageTypeTag = "message.type";

    /// <summary>The tag holding a shard index on the inbox depth gauge.</summary>
    public const string ShardTag = "shard";

    /// <summary>The tag holding an egress name (<c>namespace/name</c>) on the egress counter and span events.</summary>
    public const string EgressTag = "egress";

    /// <summary>The tag holding an ingress name (<c>namespace/name</c>) on ingest spans.</summary>
    public const string IngressTag = "ingress";

    /// <summary>The tag holding the exception type of a failed handler attempt (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";
}

using System.Diagnostics;
using StatefulFunctions.Diagnostics;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The <c>StatefulFunctions</c> activity source. A message carries the W3C <c>traceparent</c> of the span that sent it
/// (<see cref="Envelope.TraceParent"/>, stored with the message in durable mode), and the span of its handler
/// continues that trace, across shards, delays and restarts. Nothing is started, formatted or parsed while the
/// source has no listener.
/// </summary>
internal static class RuntimeTracing
{
    public static readonly ActivitySource Source = new(StatefulFunctionsDiagnostics.ActivitySourceName);

    /// <summary>
    /// The <c>traceparent</c> of <see cref="Activity.Current"/> (an ASP.NET request, a client span, an ingest span),
    /// or null when there is none or it does not use W3C ids.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts a producer span for a message sent from outside (<c>send</c>, <c>ask</c>); it becomes
    /// <see cref="Activity.Current"/>, so the message takes its context. Call inside an async method, so the
    /// change of the current activity stays there.
    /// </summary>
    public static Activity? StartSend(string spanName, FunctionType target, Address address, object message)
    {
        var activity = Source.StartActivity(spanName, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(StatefulFunctionsDiagnostics.FunctionTypeTag, target.TagValue);
            activity.SetTag(StatefulFunctionsDiagnostics.FunctionIdTag, address.Id);
            activity.SetTag(StatefulFunctionsDiagnostics.MessageTypeTag, target.SpanOf(message.GetType()).MessageType);
        }

        return activity;
    }

    /// <summary>Starts a producer span for one event routed by an ingress (from its source or <c>IngestAsync</c>).</summary>
    public static Activity? StartIngest(IngressRegistration ingress)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(ingress.IngestSpanName, ActivityKind.Producer);
        activity?.SetTag(StatefulFunctionsDiagnostics.IngressTag, ingress.NameText);
        return activity;
    }

    /// <summary>
    /// Starts the consumer span of one handler attempt, as a child of the span that sent the message (a root span
    /// when the message carries no trace context). Called only when <see cref="Source"/> has listeners; null when the
    /// sampler drops the span.
    /// </summary>
    public static Activity? StartHandle(FunctionType type, Envelope envelope, int attempt)
    {
        var parent = default(ActivityContext);
        if (envelope.TraceParent is { } traceParent)
        {
            _ = ActivityContext.TryParse(traceParent, traceState: null, isRemote: false, out parent);
        }

        // With no parent context StartActivity would take Activity.Current; the shard loop has none of its own, but a
        // handler may have left one behind. A message without trace context starts a trace of its own.
        if (Activity.Current is not null)
        {
            Activity.Current = null;
        }

        var span = type.SpanOf(envelope.Message.GetType());
        var activity = Source.StartActivity(span.Name, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(StatefulFunctionsDiagnostics.FunctionTypeTag, type.TagValue);
            activity.SetTag(StatefulFunctionsDiagnostics.FunctionIdTag, envelope.Target.Id);
            activity.SetTag(StatefulFunctionsDiagnostics.MessageTypeTag, span.MessageType);
            if (envelope.Id != 0)
            {
                activity.SetTag("statefulfunctions.message.id", envelope.Id);
            }

            if (attempt > 1)
            {
                activity.SetTag("statefulfunctions.attempt", attempt);
            }
        }

        return activity;
    }

    /// <summary>Ends a handler span; a failed attempt carries its exception and error status.</summary>
    public static void StopHandle(Activity activity, Exception? exception, bool deadLettered)
    {
        if (exception is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(StatefulFunctionsDiagnostics.ErrorTypeTag, exception.GetType().FullName);
                activity.AddException(exception);
                if (deadLettered)
                {
                    activity.AddEvent(new ActivityEvent("dead_lettered"));
                }
            }
        }

        activity.Stop();
    }

    /// <summary>Marks an egress record emitted by the handler of <paramref name="activity"/> (published after its commit).</summary>
    public static void EgressEmitted(Activity activity, TypeName egress, object record)
    {
        if (activity.IsAllDataRequested)
        {
            activity.AddEvent(new ActivityEvent("egress", tags: new ActivityTagsCollection
            {
                { StatefulFunctionsDiagnostics.EgressTag, egress.ToString() },
                { StatefulFunctionsDiagnostics.MessageTypeTag, record.GetType().FullName },
            }));
        }
    }
}

using StatefulFunctions.Diagnostics;
using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Sending from outside and from ingresses: checks, acceptance (at once, or once on disk) and enqueueing.
public sealed partial class StatefulFunctionsRuntime
{
    void IInvocationHost.CheckEgress(TypeName egress, Type recordType) => Egress.CheckDeclared(egress, recordType);

    /// <summary>The text of a function type name for a metric tag: formatted once for a registered type.</summary>
    internal string TagOf(TypeName name) => _model.Functions.TryGetValue(name, out var type) ? type.TagValue : name.ToString();

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
        return _admission.HasRoom
            ? AcceptAsync(target, message, caller, reply, cancellationToken)
            : WaitForRoomThenAcceptAsync(target, message, caller, reply, cancellationToken);
    }

    /// <summary>
    /// Backpressure: a sender from outside waits until the queues have drained to half the bound, or until the count is
    /// below the bound where it settles (see <see cref="OfferRoom"/>).
    /// </summary>
    private async ValueTask WaitForRoomThenAcceptAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        await _admission.WaitForRoomCoreAsync(cancellationToken).ConfigureAwait(false);
        await AcceptAsync(target, message, caller, reply, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AcceptAsync(Address target, object message, Address? caller, TaskCompletionSource<object?>? reply, CancellationToken cancellationToken)
    {
        // The sender's span (a client or ingest span, or an ASP.NET request) becomes the parent of the handler's.
        var envelope = new Envelope(target, caller, message, reply) { TraceParent = RuntimeTracing.CurrentTraceParent() };
        return Commit.AcceptAsync(envelope, cancellationToken);
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

    /// <summary>A message from the client or an ingress was accepted (with durable storage: once it is on disk).</summary>
    internal void Ingested(Envelope envelope)
    {
        if (RuntimeMetrics.IngestedEnabled)
        {
            RuntimeMetrics.MessageIngested(TagOf(envelope.Target.Type));
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
}

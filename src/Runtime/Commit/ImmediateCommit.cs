using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The commit pipeline of in-memory (or custom-store) runtimes: everything takes effect at once, on the caller's
/// thread, and swapped-out state is written to the store on eviction. It never fails.
/// </summary>
internal sealed class ImmediateCommit(IStateStore store, IEffectSink sink) : ICommitPipeline
{
    public IStateStore ColdState => store;

    public Exception? Failure => null;

    public Exception? Refusal => null;

    public bool ReleasesLater => false;

    public void Start()
    {
    }

    public ValueTask AcceptAsync(Envelope message, CancellationToken cancellationToken)
    {
        sink.Enqueue(message);
        sink.Ingested(message);
        return ValueTask.CompletedTask;
    }

    public void Prepare(Activation activation, Dictionary<string, byte[]>? changedState, Effects effects, bool keepReply)
    {
    }

    public void Handled(Envelope message, Activation activation, Dictionary<string, byte[]>? changedState, Effects effects)
    {
        activation.CommitInPlace(changedState); // nothing here keeps the changed state
        sink.Release(message, effects, egressIds: null);
    }

    public void Submit(CommitUnit unit)
    {
        unit.MarkCommitted();
        unit.Release(sink);
    }

    public Task<T> UnlessFailsAsync<T>(Task<T> waiting) => waiting;

    public Task UnlessFailsAsync(Task waiting) => waiting;

    public void Stop(TimeSpan timeout)
    {
    }
}

namespace StatefulFunctions.Runtime;

/// <summary>Work that must see a shard's activations from its own loop (inspection, flush).</summary>
internal sealed class ShardCommand(Func<Shard, ValueTask> run) : ShardWork
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public async ValueTask RunAsync(Shard shard)
    {
        try
        {
            await run(shard).ConfigureAwait(false);
            _done.TrySetResult();
        }
        catch (Exception exception)
        {
            _done.TrySetException(exception);
        }
    }
}

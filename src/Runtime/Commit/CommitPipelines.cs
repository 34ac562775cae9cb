using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>The commit pipeline for each kind of store: chosen once, when the runtime is created over its store.</summary>
internal sealed class CommitPipelines(StatefulFunctionsRuntime runtime) : IStoreKinds<ICommitPipeline>
{
    public ICommitPipeline InProcess(IStateStore store) => new ImmediateCommit(store, runtime);

    public ICommitPipeline Durable(LiteDbStateStore store) => new DurableCommit(store, runtime);
}

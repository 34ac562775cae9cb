using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink;

/// <summary>The application's modules as registered by <c>AddStatefulFunctionsRemote</c> (no embedded runtime).</summary>
internal sealed class RemoteApplication(ApplicationModel model)
{
    public ApplicationModel Model { get; } = model;
}

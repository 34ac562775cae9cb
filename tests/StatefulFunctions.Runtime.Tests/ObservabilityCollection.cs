namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// The tests that listen to the runtime's meter and activity source. A listener sees every runtime in the process,
/// so these run alone, after the parallel tests, and their counts are exact.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "Observability";
}

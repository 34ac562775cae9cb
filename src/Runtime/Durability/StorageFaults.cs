namespace StatefulFunctions.Runtime;

/// <summary>
/// A test seam of the durable runtime: actions run on the commit path, which may throw to stand in for a failing disk.
/// Set with <see cref="StatefulFunctionsRuntime.Faults"/> (at any time); never used otherwise.
/// </summary>
internal sealed class StorageFaults
{
    /// <summary>Runs on the commit thread before each record is appended to the commit log.</summary>
    public Action? BeforeAppend { get; init; }

    /// <summary>Runs before each checkpoint is written to the checkpoint store (on the checkpoint's own task).</summary>
    public Action? BeforeCheckpoint { get; init; }

    /// <summary>Runs on the commit thread after a committed unit's effects are released, before it counts as done.</summary>
    public Action? AfterRelease { get; init; }

    /// <summary>When set, a checkpoint starts after a commit once this much time has passed since the last one (default 5 s).</summary>
    public TimeSpan? CheckpointInterval { get; init; }
}

using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>
/// How the runtime's work becomes real: a message accepted from outside, a handled message with its state and
/// effects, a dead letter, a re-drive, an egress acknowledgement. <see cref="ImmediateCommit"/> (in memory, or over a
/// custom store) makes each take effect at once, on the caller's thread; <see cref="DurableCommit"/> (LiteDB) writes
/// each to the commit log with the group commit and releases it only once it is on disk. The store the host is
/// configured with chooses (<see cref="CommitPipelines"/>); nothing else in the runtime asks which.
/// </summary>
internal interface ICommitPipeline
{
    /// <summary>Where the state of swapped-out instances is loaded from and saved to.</summary>
    IStateStore ColdState { get; }

    /// <summary>What failed so that nothing more can commit (the commit log or the checkpoint store); null while it works.</summary>
    Exception? Failure { get; }

    /// <summary>The exception every refusal carries since <see cref="Failure"/>; null while the pipeline works.</summary>
    Exception? Refusal { get; }

    /// <summary>True when effects are released after the handler's call has ended, so each call needs its own effect buffers.</summary>
    bool ReleasesLater { get; }

    /// <summary>Recovers what was committed before this start (durable storage) and begins taking work.</summary>
    void Start();

    /// <summary>Accepts a message from the client or an ingress: completes once it is accepted (durable storage: on disk).</summary>
    ValueTask AcceptAsync(Envelope message, CancellationToken cancellationToken);

    /// <summary>
    /// Checks and prepares what a handler left before it is committed: throws when it cannot be stored, so that the
    /// handler counts as failed (retried, then dead-lettered with the reason).
    /// </summary>
    void Prepare(Activation activation, Dictionary<string, byte[]>? changedState, Effects effects, bool keepReply);

    /// <summary>
    /// Commits a handled message: its consumption, the state it changed (taken into <paramref name="activation"/>'s
    /// warm state) and its effects. A commit that is refused throws and leaves the warm state as it was.
    /// </summary>
    void Handled(Envelope message, Activation activation, Dictionary<string, byte[]>? changedState, Effects effects);

    /// <summary>Commits any other unit of work; its effects are released once it is committed.</summary>
    void Submit(CommitUnit unit);

    /// <summary>A wait that also ends, with <see cref="Refusal"/>, once nothing more can commit (no answer can come then).</summary>
    Task<T> UnlessFailsAsync<T>(Task<T> waiting);

    /// <inheritdoc cref="UnlessFailsAsync{T}(Task{T})"/>
    Task UnlessFailsAsync(Task waiting);

    /// <summary>
    /// Stops after committing what was queued, waiting at most <paramref name="timeout"/>; never throws (a failure is
    /// logged, and the next start recovers from what is on disk).
    /// </summary>
    void Stop(TimeSpan timeout);
}

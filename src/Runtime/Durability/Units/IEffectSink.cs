using StatefulFunctions.Storage;


namespace StatefulFunctions.Runtime;

/// <summary>
/// Where a committed unit releases what it holds: the one narrow way from the group commit back into the runtime.
/// </summary>
internal interface IEffectSink
{
    /// <summary>Puts a message into its shard's inbox.</summary>
    void Enqueue(Envelope message);

    /// <summary>Records that a message from the client or an ingress was accepted.</summary>
    void Ingested(Envelope message);

    /// <summary>Releases the effects of a handled message: sends, delayed messages, egress records (with their ids, when durable), the reply.</summary>
    void Release(Envelope message, Effects effects, IReadOnlyList<long>? egressIds);

    /// <summary>Adds a message that failed on every attempt to the dead letters.</summary>
    void AddDeadLetter(Envelope message, string exceptionText, int attempts, DateTimeOffset failedAt, Exception? exception);
}

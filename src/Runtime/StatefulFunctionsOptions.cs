namespace StatefulFunctions;

/// <summary>Tuning of the runtime.</summary>
public sealed class StatefulFunctionsOptions
{
    /// <summary>How many shards split the address space; each has one dispatcher loop. Default: one per core.</summary>
    public int ShardCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The memory bound of the warm-state cache, in bytes of serialized state plus per-instance overhead, for all
    /// shards together. Instances beyond it are swapped out to the store, those not used lately first (CLOCK, an approximation of
    /// least recently used). Default 256 MiB.
    /// </summary>
    public long CacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// How many messages may be queued or in flight before <see cref="IStatefulFunctionsClient.SendAsync(Address, object, CancellationToken)"/> and
    /// ingresses wait for room (backpressure; messages functions send to each other never wait). Default 8,192: enough
    /// to keep every shard and the group commit busy, few enough that queued messages do not outlive the garbage
    /// collector's youngest generation and wait less.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 8_192;

    /// <summary>How many times a handler runs for one message before the message is dead-lettered. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The pause before retry number <c>n</c> (1-based) of a failed message. Default 10 ms × 2^(n-1).</summary>
    public Func<int, TimeSpan> RetryBackoff { get; set; } = static retry => TimeSpan.FromMilliseconds(10 * Math.Pow(2, retry - 1));

    /// <summary>
    /// How long an idempotency key is remembered after the message sent with it was accepted: within this window a
    /// send or ask repeating the key (to the same address) is acknowledged again instead of being delivered again.
    /// Measured on the runtime's <see cref="TimeProvider"/>. Default 24 hours; at least one second.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// With durable storage, how many dedup records of idempotency keys stay in memory. Past it, the records that
    /// expire first and whose outcome a checkpoint holds leave memory, each for a 64-bit fingerprint and its expiry
    /// (about 40 bytes instead of ~500): a send or ask that repeats such a key finds its record in the store. Records
    /// whose message is not handled yet, or not yet in a checkpoint, stay, so the table may pass the limit by what
    /// arrives between two checkpoints. With in-memory storage every record stays in memory for its window. Default
    /// 100,000; at least 1.
    /// </summary>
    public int IdempotencyKeysInMemory { get; set; } = 100_000;

    /// <summary>
    /// How long <see cref="StatefulFunctionsRuntime.StopAsync"/> waits for messages in flight, and then for the shard
    /// loops and the group commit, before it stops without them. Default 30 seconds; between 0 and one hour.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With <c>UseLiteDb</c>, the size each commit log segment file (in <c>&lt;path&gt;.log/</c>) is written to when it
    /// is created, with zeros: a first run writes one, so its disk space is taken at once, and a later flush syncs only
    /// data. Smaller suits tests and small disks (it rolls to a new segment more often); a record larger than a segment
    /// gets a segment of its own size. Default 64 MiB; from 64 KiB to 1 GiB.
    /// </summary>
    public long CommitLogSegmentBytes { get; set; } = Runtime.CommitLogOptions.DefaultSegmentBytes;

    internal void Validate()
    {
        if (CommitLogSegmentBytes is < 64 * 1024 or > 1024 * 1024 * 1024)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.CommitLogSegmentBytes must be between 64 KiB (65,536) and 1 GiB (1,073,741,824) (was {CommitLogSegmentBytes:N0}).");
        }

        if (StopTimeout < TimeSpan.Zero || StopTimeout > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.StopTimeout must be between 0 and one hour (was {StopTimeout}).");
        }

        if (ShardCount < 1)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.ShardCount must be at least 1 (was {ShardCount}).");
        }

        if (CacheBytes < 0)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.CacheBytes cannot be negative (was {CacheBytes}).");
        }

        if (MaxQueuedMessages < 2)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.MaxQueuedMessages must be at least 2 (was {MaxQueuedMessages}).");
        }

        if (MaxAttempts < 1)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        ArgumentNullException.ThrowIfNull(RetryBackoff);

        if (IdempotencyWindow < TimeSpan.FromSeconds(1) || IdempotencyWindow > TimeSpan.FromDays(3650))
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.IdempotencyWindow must be between one second and 3,650 days (was {IdempotencyWindow}).");
        }

        if (IdempotencyKeysInMemory < 1)
        {
            throw new InvalidOperationException($"StatefulFunctionsOptions.IdempotencyKeysInMemory must be at least 1 (was {IdempotencyKeysInMemory}).");
        }
    }
}

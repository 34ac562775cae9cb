using StatefulFunctions.Durability;
namespace StatefulFunctions.Runtime;

/// <summary>
/// The effects of one handler call, buffered until it returns: released together on success, dropped on failure.
/// </summary>
internal sealed class Effects
{
    public List<Envelope> Sends { get; } = new();

    public List<(TimeSpan Delay, Envelope Envelope, string? Token)> DelayedSends { get; } = new();

    public List<string> Cancellations { get; } = new();

    public List<(TypeName Egress, object Record)> Egress { get; } = new();

    /// <summary>With durable storage: the stored form of each <see cref="Egress"/> record, in the same order.</summary>
    public List<StoredForm> StoredEgress { get; } = new();

    /// <summary>With durable storage, for a message sent with an idempotency key: the stored form of <see cref="Reply"/>, when it can be stored.</summary>
    public StoredForm? StoredReply { get; set; }

    public bool HasReply { get; set; }

    public object? Reply { get; set; }

    public void Clear()
    {
        Sends.Clear();
        DelayedSends.Clear();
        Cancellations.Clear();
        Egress.Clear();
        StoredEgress.Clear();
        HasReply = false;
        Reply = null;
        StoredReply = null;
    }
}

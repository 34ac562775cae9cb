using MemoryPack;

namespace StatefulFunctions;

/// <summary>
/// The answer to an ask between functions (<see cref="IContext.Ask{TReply}(Address, IAsk{TReply}, string, TimeSpan?)"/>),
/// delivered to the asker as an ordinary message: the asker handles <c>Reply&lt;TReply&gt;</c> like any other message
/// and tells its asks apart by the <see cref="Correlation"/> it chose. Every ask gets exactly one: the answer, the
/// timeout, or the dead letter.
/// </summary>
/// <typeparam name="TReply">The reply type of the ask.</typeparam>
/// <param name="Correlation">What the asker passed to tell this ask from its others (e.g. a transfer id and a step).</param>
/// <param name="FromType">The function type of the address asked (see <see cref="From"/>).</param>
/// <param name="FromId">The id of the address asked.</param>
/// <param name="Status">Whether it was answered, timed out or was dead-lettered.</param>
/// <param name="Value">The reply, when <see cref="Status"/> is <see cref="ReplyStatus.Answered"/>; else the default.</param>
/// <param name="Failure">Why there is no reply (the timeout, or the dead letter); null when answered.</param>
[MemoryPackable]
public sealed partial record Reply<TReply>(string Correlation, string FromType, string FromId, ReplyStatus Status, TReply? Value, string? Failure)
{
    /// <summary>The address that was asked (or, for a forwarded ask, the one that answered).</summary>
    [MemoryPackIgnore]
    public Address From => new(FromType, FromId);

    /// <summary>True when the asked function answered; <see cref="Value"/> is then its reply.</summary>
    [MemoryPackIgnore]
    public bool Answered => Status == ReplyStatus.Answered;
}

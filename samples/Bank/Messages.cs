using MemoryPack;

namespace Banking;

/// <summary>Adds money to an account; answered with the new balance.</summary>
[MemoryPackable] public sealed partial record Deposit(decimal Amount) : IAsk<decimal>;

/// <summary>Answered with the balance.</summary>
[MemoryPackable] public sealed partial record GetBalance : IAsk<decimal>;

/// <summary>Closes an account: it takes no more credits. Answered with the balance it keeps.</summary>
[MemoryPackable] public sealed partial record Close : IAsk<decimal>;

/// <summary>A transfer takes money from an account: answered true when it did, false when the balance is too low or the account closed.</summary>
[MemoryPackable] public sealed partial record Debit(string Entry, decimal Amount) : IAsk<bool>;

/// <summary>A transfer gives money to an account: answered true when it did, false when the account is closed.</summary>
[MemoryPackable] public sealed partial record Credit(string Entry, decimal Amount) : IAsk<bool>;

/// <summary>The entries of an account's statement: <c>-t1 30</c> for a debit of transfer t1, <c>+t1 30</c> for a credit.</summary>
[MemoryPackable] public sealed partial record GetStatement : IAsk<List<string>>;

/// <summary>Moves money between two accounts, once per transfer id; answered when it is done, refused, refunded or late.</summary>
[MemoryPackable] public sealed partial record StartTransfer(string From, string To, decimal Amount) : IAsk<TransferResult>;

/// <summary>Answered with how the transfer ended, or null while it is still running.</summary>
[MemoryPackable] public sealed partial record GetTransfer : IAsk<TransferResult?>;

/// <summary>The deadline of a transfer's caller (a delayed message the transfer cancels when it ends first).</summary>
[MemoryPackable] public sealed partial record TransferDeadline;

/// <summary>How a transfer ended.</summary>
[MemoryPackable] public sealed partial record TransferResult(TransferOutcome Outcome, string Detail);

/// <summary>The ends of a transfer.</summary>
public enum TransferOutcome
{
    /// <summary>Debited from one account and credited to the other.</summary>
    Done,

    /// <summary>Nothing moved: the source account could not be debited.</summary>
    Refused,

    /// <summary>Debited, not credited (the target is closed), and credited back to the source.</summary>
    Refunded,

    /// <summary>The caller's deadline passed first; the transfer goes on and ends as one of the others.</summary>
    StillRunning,
}

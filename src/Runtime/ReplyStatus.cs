namespace StatefulFunctions;

/// <summary>How an ask between functions ended, as its <see cref="Reply{TReply}"/> tells the asker.</summary>
public enum ReplyStatus
{
    /// <summary>The asked function answered: <see cref="Reply{TReply}.Value"/> is its reply.</summary>
    Answered,

    /// <summary>No answer came within the ask's timeout; one that comes later is dropped.</summary>
    TimedOut,

    /// <summary>The asked function failed on every attempt and its message was dead-lettered.</summary>
    DeadLettered,
}

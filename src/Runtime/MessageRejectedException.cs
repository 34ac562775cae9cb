namespace StatefulFunctions;

/// <summary>
/// Refuses the message being handled for good (what <see cref="IContext.Reject"/> throws; a handler or a method it
/// calls may throw it too). The message is not tried again: it is dead-lettered at once with <see cref="Reason"/>,
/// nothing the call changed or sent takes effect, and an ask of the message learns the reason.
/// </summary>
public sealed class MessageRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the message is refused, for whoever asked: it is part of what the asker is told.</param>
    public MessageRejectedException(string reason)
        : base(reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    /// <summary>Creates the exception.</summary>
    public MessageRejectedException()
        : this("The message was rejected.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageRejectedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    /// <summary>Why the message was refused.</summary>
    public string Reason { get; }
}

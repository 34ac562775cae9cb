namespace StatefulFunctions;

/// <summary>
/// Thrown to an <see cref="IStatefulFunctionsClient.AskAsync{TReply}(Address, object, TimeSpan, CancellationToken)"/>
/// caller when no reply came within the ask's timeout. The message was accepted and is still handled; a retry with the
/// same idempotency key waits for that message's reply instead of sending it again.
/// </summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AskTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message)
        : base(message)
    {
    }
}

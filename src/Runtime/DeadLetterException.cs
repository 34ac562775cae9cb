namespace StatefulFunctions;

/// <summary>Thrown to an <see cref="IStatefulFunctionsClient.AskAsync{TReply}(Address, object, TimeSpan, CancellationToken)"/> caller whose message was dead-lettered.</summary>
public sealed class DeadLetterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeadLetterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DeadLetterException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DeadLetterException(string message)
        : base(message)
    {
    }
}

namespace StatefulFunctions.Generation;

/// <summary>A message reached a function that has no handler for its type.</summary>
public sealed class UnhandledMessageException : Exception
{
    /// <summary>Creates the exception for a function type and the message it cannot handle.</summary>
    public UnhandledMessageException(TypeName function, object message)
        : base($"Function '{function}' has no handler for messages of type {message?.GetType().FullName ?? "null"}: implement IHandle<T> or IHandleAsync<T> for it.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnhandledMessageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnhandledMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UnhandledMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

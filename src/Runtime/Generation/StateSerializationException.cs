namespace StatefulFunctions.Generation;

/// <summary>A persisted member could not be serialized or its stored bytes could not be read back.</summary>
public sealed class StateSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateSerializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StateSerializationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StateSerializationException(string message)
        : base(message)
    {
    }
}

namespace StatefulFunctions;

/// <summary>
/// Thrown by a send or ask with an idempotency key that was already used, within the dedup window, for a different
/// message to the same address. Nothing was sent: a retry must repeat the original message exactly; a new message
/// needs a new key.
/// </summary>
public sealed class IdempotencyConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="idempotencyKey"/> and <paramref name="target"/>.</summary>
    /// <param name="target">The address the key was used for.</param>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="originalMessageType">The stable type name of the message first sent with the key.</param>
    /// <param name="messageType">The stable type name of the message sent now.</param>
    public IdempotencyConflictException(Address target, string idempotencyKey, string originalMessageType, string messageType)
        : base(Describe(target, idempotencyKey, originalMessageType, messageType))
    {
        Target = target;
        IdempotencyKey = idempotencyKey;
        OriginalMessageType = originalMessageType;
    }

    /// <summary>Creates the exception.</summary>
    public IdempotencyConflictException()
    {
        IdempotencyKey = "";
    }

    /// <summary>Creates the exception.</summary>
    public IdempotencyConflictException(string message)
        : base(message)
    {
        IdempotencyKey = "";
    }

    /// <summary>Creates the exception.</summary>
    public IdempotencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        IdempotencyKey = "";
    }

    /// <summary>The address the key was used for.</summary>
    public Address Target { get; }

    /// <summary>The idempotency key that was used for a different message.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The stable type name of the message first sent with the key (null when not known).</summary>
    public string? OriginalMessageType { get; }

    private static string Describe(Address target, string key, string originalType, string type)
    {
        var what = string.Equals(originalType, type, StringComparison.Ordinal)
            ? $"a '{originalType}' message with a different body"
            : $"a '{originalType}' message, not a '{type}'";
        return $"Idempotency key '{key}' was already used for {what} to {target}. A retry must send the same message; a new message needs a new key.";
    }
}

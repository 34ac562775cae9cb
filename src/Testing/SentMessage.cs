namespace StatefulFunctions.Testing;

/// <summary>A message a function sent (or a delayed message that came due), as a test sees it.</summary>
/// <param name="Target">Where it went.</param>
/// <param name="Caller">Who sent it; null for the client or an ingress.</param>
/// <param name="Message">The message.</param>
public sealed record SentMessage(Address Target, Address? Caller, object Message);

namespace StatefulFunctions.Testing;

/// <summary>A delayed message not yet due.</summary>
/// <param name="Due">When it fires.</param>
/// <param name="Target">Where it goes.</param>
/// <param name="Message">The message.</param>
/// <param name="CancellationToken">The token that can cancel it, if any.</param>
/// <param name="Owner">The instance that scheduled it.</param>
public sealed record PendingTimer(DateTimeOffset Due, Address Target, object Message, string? CancellationToken, Address? Owner);

namespace StatefulFunctions.Runtime;

/// <summary>A message waiting for its time.</summary>
/// <param name="Owner">The instance that sent it (cancellation tokens are scoped to it); null for none.</param>
/// <param name="CancellationToken">The token that names it, if any.</param>
/// <param name="Due">When it fires.</param>
/// <param name="Envelope">The message.</param>
internal sealed record DelayedMessage(Address? Owner, string? CancellationToken, DateTimeOffset Due, Envelope Envelope)
{
    public bool Cancelled { get; set; }
}

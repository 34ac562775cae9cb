namespace StatefulFunctions.Storage;

/// <summary>A document a checkpoint could not store and set aside in the quarantine folder.</summary>
/// <param name="What">What it is, e.g. <c>the state of shop/cart/ada</c>.</param>
/// <param name="Reason">Why LiteDB refused it.</param>
/// <param name="File">The file of the quarantine folder that holds it.</param>
internal sealed record QuarantinedRecord(string What, string Reason, string File);

namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>
/// The holder of a badge, kept a minute after it was written: as a partial property, whose every set is a write, and
/// as a field, which counts as written only when its value changes.
/// </summary>
[StatefulFunction("tests/badge")]
public sealed partial class Badge : IHandle<Hand>
{
    [Persisted(ExpireAfterWrite = "00:01:00")] private partial string? Holder { get; set; }

    [Persisted(ExpireAfterWrite = "00:01:00")] private string? _holderField;

    public void Handle(IContext context, Hand message)
    {
        Holder = message.Holder;
        _holderField = message.Holder;
    }
}

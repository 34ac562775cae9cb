namespace StatefulFunctions;

/// <summary>
/// Pins the stable type name a message carries in the durable log and on the wire (default: the full CLR name),
/// so that the type can be renamed or moved, and so other languages can name it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class MessageTypeAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The stable name, e.g. <c>rides/ride-requested</c>.</param>
    public MessageTypeAttribute(string name) => Name = name;

    /// <summary>The stable message type name.</summary>
    public string Name { get; }
}

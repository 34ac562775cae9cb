namespace StatefulFunctions;

/// <summary>The address of one virtual instance: a function type and an id (e.g. <c>rides/driver</c> + <c>seth</c>).</summary>
/// <param name="Type">The function type.</param>
/// <param name="Id">The instance id within the type.</param>
/// <remarks>
/// An id is 1 to <see cref="MaxIdBytes"/> bytes of text in UTF-8, not only white space, with no control characters and
/// no lone surrogate; a message to any other id is refused when it is sent (<see cref="ArgumentException"/>), before
/// anything is logged.
/// </remarks>
public readonly record struct Address(TypeName Type, string Id)
{
    /// <summary>The longest id of an address, in UTF-8 bytes: 1,024.</summary>
    public const int MaxIdBytes = 1024;

    /// <summary>Creates an address from a type name string and an id.</summary>
    public Address(string typeName, string id)
        : this(TypeName.Parse(typeName), id)
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Id}";
}

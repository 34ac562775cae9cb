namespace StatefulFunctions;

/// <summary>The address of one virtual instance: a function type and an id (e.g. <c>rides/driver</c> + <c>seth</c>).</summary>
/// <param name="Type">The function type.</param>
/// <param name="Id">The instance id within the type.</param>
public readonly record struct Address(TypeName Type, string Id)
{
    /// <summary>Creates an address from a type name string and an id.</summary>
    public Address(string typeName, string id)
        : this(TypeName.Parse(typeName), id)
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Id}";
}

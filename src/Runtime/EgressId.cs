namespace StatefulFunctions;

/// <summary>Identifies an egress carrying records of <typeparamref name="T"/>, e.g. <c>rides/events</c>.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Name">The egress name, <c>namespace/name</c>.</param>
public sealed record EgressId<T>(TypeName Name)
{
    /// <summary>Creates an egress id from <c>namespace/name</c>.</summary>
    public EgressId(string name)
        : this(TypeName.Parse(name))
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name.ToString();
}

namespace StatefulFunctions;

/// <summary>Identifies an ingress producing events of <typeparamref name="T"/>, e.g. <c>rides/requests</c>.</summary>
/// <typeparam name="T">The event type.</typeparam>
/// <param name="Name">The ingress name, <c>namespace/name</c>.</param>
public sealed record IngressId<T>(TypeName Name)
{
    /// <summary>Creates an ingress id from <c>namespace/name</c>.</summary>
    public IngressId(string name)
        : this(TypeName.Parse(name))
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name.ToString();
}

namespace StatefulFunctions;

/// <summary>
/// Marks a <c>partial</c> class as a stateful function type. The source generator emits its dispatch table,
/// state serializer, typed <c>At(id)</c> and <c>TypeName</c>, and registers it with its assembly's module.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class StatefulFunctionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="typeName">The function type name, <c>namespace/name</c>, e.g. <c>rides/driver</c>.</param>
    public StatefulFunctionAttribute(string typeName) => TypeName = typeName;

    /// <summary>The function type name, <c>namespace/name</c>.</summary>
    public string TypeName { get; }
}

namespace StatefulFunctions.Generators.Model;

/// <summary>Everything the emitter needs about one <c>[StatefulFunction]</c> class, as plain data.</summary>
/// <param name="Namespace">The class's namespace; empty for the global namespace.</param>
/// <param name="Name">The class's identifier.</param>
/// <param name="FullyQualifiedName">e.g. <c>global::Rides.Driver</c>.</param>
/// <param name="HintName">e.g. <c>Rides.Driver.StatefulFunction.g.cs</c>.</param>
/// <param name="ContainingTypes">Enclosing types, outermost first.</param>
/// <param name="TypeNamespace">The namespace part of the function type name (<c>rides</c>).</param>
/// <param name="TypeName">The name part of the function type name (<c>driver</c>).</param>
/// <param name="HidesBaseFunction">A base class is a function too, so the generated statics need <c>new</c>.</param>
/// <param name="HidesBasePersistedState">A base class has (or will get) a <c>PersistedState</c> class, which the generated one then hides.</param>
/// <param name="Handlers">Dispatch cases, most derived message type first.</param>
/// <param name="PersistedMembers">Persisted members in declaration order.</param>
/// <param name="AsksClassName">The class of the function's typed asks, <c>AccountAsks</c>: at namespace level, so the containing types' names come first.</param>
internal sealed record FunctionSpec(
    string Namespace,
    string Name,
    string FullyQualifiedName,
    string HintName,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeNamespace,
    string TypeName,
    bool HidesBaseFunction,
    bool HidesBasePersistedState,
    EquatableArray<HandlerSpec> Handlers,
    EquatableArray<PersistedMemberSpec> PersistedMembers,
    string AsksClassName = "")
{
    /// <summary>The function type name as written, <c>rides/driver</c>.</summary>
    public string FunctionTypeName => TypeNamespace + "/" + TypeName;
}

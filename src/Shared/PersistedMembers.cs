using Microsoft.CodeAnalysis;

namespace StatefulFunctions;

/// <summary>
/// Which members can hold persisted state, compiled into both the generator (which persists them) and the analyzers
/// (which check them and write the state contract), so the two always see the same members.
/// </summary>
internal static class PersistedMembers
{
    /// <summary>
    /// The type of a member the generated <c>ReadState</c> can assign — a writable instance field, or an instance
    /// property with a getter and a setter that is not init-only — or null for any other member.
    /// </summary>
    public static ITypeSymbol? AssignableType(ISymbol member) => member switch
    {
        IFieldSymbol { IsStatic: false, IsConst: false, IsReadOnly: false, IsImplicitlyDeclared: false } field => field.Type,
        IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: not null, SetMethod.IsInitOnly: false } property => property.Type,
        _ => null,
    };
}

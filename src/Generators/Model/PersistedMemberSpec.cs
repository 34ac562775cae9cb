namespace StatefulFunctions.Generators.Model;

/// <summary>One <c>[Persisted]</c> field or property of a function.</summary>
/// <param name="StateName">The name the value is stored under, e.g. <c>last_seen</c>.</param>
/// <param name="MemberName">The member's name as declared, e.g. <c>_lastSeen</c>.</param>
/// <param name="Identifier">The member's name as an expression (<c>@</c>-escaped keyword, <c>this.</c> when a parameter would hide it).</param>
/// <param name="Type">Fully qualified type with its nullable annotation, for <c>Write&lt;T&gt;</c>/<c>Read&lt;T&gt;</c>.</param>
/// <param name="TypeOfType">Fully qualified type without nullable reference annotations, for <c>typeof</c>.</param>
/// <param name="Expiration">Which TTL applies, if any.</param>
/// <param name="ExpireAfterTicks">The TTL in ticks; 0 without one.</param>
/// <param name="ExpireAfterText">The TTL in constant (<c>c</c>) format, shown in a comment; empty without one.</param>
/// <param name="Fingerprint">The schema of the member's type, stored beside its value (see <c>StateSchema</c>).</param>
/// <param name="DescriptorName">The name of its descriptor in the generated <c>PersistedState</c> class, e.g. <c>LastSeen</c>.</param>
/// <param name="DescriptorAccessibility"><c>public</c> or <c>internal</c> (as the member's type allows); empty when the type is
/// private to the function class, and the descriptor is then a private member of the function class itself.</param>
/// <param name="PartialProperty">For a <c>partial</c> property whose body the generator writes: the modifiers of its
/// declaration, e.g. <c>private</c>; empty for a field or a property with a body of its own.</param>
/// <param name="GetterModifier">The accessibility of its <c>get</c> accessor when it differs from the property's, with a trailing space; else empty.</param>
/// <param name="SetterModifier">The same for its <c>set</c> accessor.</param>
/// <param name="BackingInitializer"><c> = null!</c> when the backing field of such a property holds a non-nullable
/// reference (the constructor sets the property, or the state does when the instance is loaded); else empty.</param>
internal sealed record PersistedMemberSpec(
    string StateName,
    string MemberName,
    string Identifier,
    string Type,
    string TypeOfType,
    Expiration Expiration,
    long ExpireAfterTicks,
    string ExpireAfterText,
    string Fingerprint,
    string DescriptorName,
    string DescriptorAccessibility,
    string PartialProperty = "",
    string GetterModifier = "",
    string SetterModifier = "",
    string BackingInitializer = "")
{
    /// <summary>Whether the generator writes the property's body: a setter that records each write.</summary>
    public bool IsPartialProperty => PartialProperty.Length > 0;
}

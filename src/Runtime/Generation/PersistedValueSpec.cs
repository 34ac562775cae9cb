using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>One <c>[Persisted]</c> member of a function type, as the generator saw it.</summary>
/// <param name="Name">The state name (<c>[a-z_][a-z0-9_]*</c>).</param>
/// <param name="MemberName">The C# member name.</param>
/// <param name="ValueType">The member's type.</param>
/// <param name="Expiration">When the value expires.</param>
/// <param name="ExpireAfter">The time to live; zero when <paramref name="Expiration"/> is <see cref="ExpirationMode.None"/>.</param>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PersistedValueSpec(string Name, string MemberName, Type ValueType, ExpirationMode Expiration, TimeSpan ExpireAfter)
{
    /// <summary>
    /// The schema of <see cref="ValueType"/> that is stored beside the value (see <see cref="PersistedMember{T}.Fingerprint"/>);
    /// null for a registration generated before fingerprints.
    /// </summary>
    public string? Fingerprint { get; init; }
}

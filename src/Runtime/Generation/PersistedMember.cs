using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StatefulFunctions.Generation;

/// <summary>
/// One <c>[Persisted]</c> member of a function class, typed: its state name and the fingerprint of its type's
/// serialized shape. The generator emits one per member (<c>MyFunction.PersistedState.Balance</c>); the generated
/// serializer writes and reads through it, and tests read state with it without spelling a state name.
/// </summary>
/// <typeparam name="T">The member's declared type.</typeparam>
public sealed class PersistedMember<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>
{
    /// <summary>Creates the descriptor.</summary>
    /// <param name="name">The state name (<c>[a-z_][a-z0-9_]*</c>).</param>
    /// <param name="fingerprint">The schema of <typeparamref name="T"/> as the generator computed it, e.g. <c>int</c> or <c>Money{amount:decimal,currency:string}</c>.</param>
    public PersistedMember(string name, string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fingerprint);
        Name = name;
        Fingerprint = fingerprint;
        FingerprintKey = StateFingerprint.KeyOf(name);
        FingerprintBytes = Encoding.UTF8.GetBytes(fingerprint);
    }

    /// <summary>The state name.</summary>
    public string Name { get; }

    /// <summary>The schema of the member's type, stored beside its value under <c>$type:&lt;name&gt;</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>The member's declared type, <typeparamref name="T"/>.</summary>
    public Type ValueType => typeof(T);

    /// <summary>The key the fingerprint is stored under.</summary>
    internal string FingerprintKey { get; }

    /// <summary>The fingerprint as stored (UTF-8); shared, never mutated.</summary>
    internal byte[] FingerprintBytes { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Fingerprint}";
}

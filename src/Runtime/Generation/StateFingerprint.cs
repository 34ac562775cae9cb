using System.ComponentModel;
using System.Text;

namespace StatefulFunctions.Generation;

/// <summary>
/// The type fingerprints stored beside persisted members, under <c>$type:&lt;state name&gt;</c> (a name no state name
/// can take). A fingerprint is the schema of the member's type as the generator sees it: C# keywords for primitives,
/// <c>enum Name:underlying</c>, <c>T?</c> for nullable value types, <c>T[]</c> and <c>Name&lt;args&gt;</c> for arrays and
/// generic types, <c>Name{member:schema,...}</c> in MemoryPack's member order for MemoryPackable types, and the
/// name alone for anything else.
/// </summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StateFingerprint
{
    /// <summary>The prefix of the keys fingerprints are stored under.</summary>
    public const string KeyPrefix = "$type:";

    /// <summary>The key the fingerprint of the state <paramref name="stateName"/> is stored under.</summary>
    public static string KeyOf(string stateName) => KeyPrefix + stateName;

    /// <summary>True for the key of a fingerprint (or of any other runtime entry: they all start with <c>$</c>).</summary>
    public static bool IsRuntimeKey(string key) => key.Length > 0 && key[0] == '$';

    /// <summary>The fingerprint stored for <paramref name="stateName"/>, or null when there is none (state written before fingerprints).</summary>
    public static string? Stored(IReadOnlyDictionary<string, byte[]> state, string stateName)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(KeyOf(stateName), out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>
    /// Whether a value written with the schema <paramref name="stored"/> can be read as <paramref name="current"/>:
    /// the same schema, or the same MemoryPackable object with members appended at the end (MemoryPack reads the
    /// missing trailing members as their defaults).
    /// </summary>
    public static bool CanRead(string stored, string current)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(current);
        if (string.Equals(stored, current, StringComparison.Ordinal))
        {
            return true;
        }

        // "Name{a:int}" read as "Name{a:int,b:long}": everything up to the stored closing brace, then a comma.
        // A stored object without members ("Name{}") gains its first one right after the brace.
        if (stored.Length < 3 || stored[^1] != '}' || current.Length <= stored.Length || current[^1] != '}')
        {
            return false;
        }

        var open = stored.AsSpan(0, stored.Length - 1);
        return open[^1] == '{'
            ? current.AsSpan().StartsWith(open, StringComparison.Ordinal)
            : current.AsSpan().StartsWith(open, StringComparison.Ordinal) && current[open.Length] == ',';
    }
}

using System.Collections.Frozen;
using StatefulFunctions.Generation;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// The message types a client may send over HTTP — those marked <see cref="PublicMessageAttribute"/>; the others do
/// not exist here — by their stable names (<c>[MessageType]</c>, else the full CLR name)
/// and by their JSON media types: <c>application/vnd.{name}+json</c> with '/' written as '.', in lower case
/// (<c>payments/deposit</c> → <c>application/vnd.payments.deposit+json</c>).
/// </summary>
internal sealed class HttpMessageTypes
{
    private const string MediaTypePrefix = "application/vnd.";
    private const string MediaTypeSuffix = "+json";

    private readonly FrozenDictionary<string, MessageTypeDescriptor> _byName;
    private readonly FrozenDictionary<string, MessageTypeDescriptor?> _byMediaType;

    public HttpMessageTypes(IEnumerable<MessageTypeDescriptor> types)
    {
        var byName = new Dictionary<string, MessageTypeDescriptor>(StringComparer.Ordinal);
        var byMediaType = new Dictionary<string, MessageTypeDescriptor?>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types.Where(t => IsPublic(t.ClrType)))
        {
            byName[type.Name] = type;
            var mediaType = MediaTypeOf(type.Name);

            // Two names that differ only in '/' against '.' or in case share a media type: neither can use it.
            byMediaType[mediaType] = byMediaType.TryGetValue(mediaType, out var other) && other?.ClrType != type.ClrType ? null : type;
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byMediaType = byMediaType.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    /// <summary>True when a function handling <paramref name="handled"/> takes messages over HTTP: it handles a public type.</summary>
    public bool AnyPublic(IEnumerable<MessageTypeDescriptor> handled) =>
        handled.Any(t => _byName.TryGetValue(t.Name, out var known) && known.ClrType == t.ClrType);

    private static bool IsPublic(Type type) => type.IsDefined(typeof(PublicMessageAttribute), inherit: false);

    public static string MediaTypeOf(string name) => MediaTypePrefix + name.Replace('/', '.').ToLowerInvariant() + MediaTypeSuffix;

    public static bool IsMessageMediaType(string mediaType) =>
        mediaType.StartsWith(MediaTypePrefix, StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith(MediaTypeSuffix, StringComparison.OrdinalIgnoreCase);

    public MessageTypeDescriptor? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The type a JSON media type names; null when none, or when two names share it (<paramref name="ambiguous"/>).</summary>
    public MessageTypeDescriptor? ByMediaType(string mediaType, out bool ambiguous)
    {
        var found = _byMediaType.TryGetValue(mediaType, out var type);
        ambiguous = found && type is null;
        return type;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StatefulFunctions;

/// <summary>
/// How the endpoints read messages from JSON, compiled into the HTTP and the Flink endpoints so that they agree.
/// A message must carry what its type cannot do without: a constructor parameter (a positional record member)
/// without a default value whose type is not nullable (<c>string</c>, <c>int</c>; not <c>string?</c>, <c>int?</c>),
/// and <c>required</c> members. Such a member missing, or null where its type is not nullable, is refused when the
/// message is read, instead of reaching the handler as a null or a zero it never expected.
/// </summary>
internal static class MessageJson
{
    /// <summary>
    /// <paramref name="options"/> as they read messages: the same names, converters and resolver, plus the rule above.
    /// Only for reading: what is written (replies, egress records, state) keeps <paramref name="options"/>.
    /// </summary>
    [RequiresUnreferencedCode("Reading a message type from JSON may use reflection.")]
    [RequiresDynamicCode("Reading a message type from JSON may use reflection.")]
    public static JsonSerializerOptions ForMessages(JsonSerializerOptions options)
    {
        var messages = new JsonSerializerOptions(options) { RespectNullableAnnotations = true };
        messages.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequireParametersWithoutDefaults);
        messages.MakeReadOnly();
        return messages;
    }

    /// <summary>The JSON without a leading UTF-8 byte order mark (some clients write one; the JSON reader refuses it).</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> json) =>
        json.StartsWith(Encoding.UTF8.Preamble) ? json[Encoding.UTF8.Preamble.Length..] : json;

    /// <inheritdoc cref="WithoutByteOrderMark(ReadOnlySpan{byte})"/>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> json) =>
        json.Span.StartsWith(Encoding.UTF8.Preamble) ? json[Encoding.UTF8.Preamble.Length..] : json;

    /// <summary>
    /// A plain sentence for what a client most often gets wrong, when <paramref name="exception"/> is that: members the
    /// message cannot do without are missing (named by their JSON names), or null. Null for any other problem (the
    /// exception's own message then says what it is). <paramref name="messageName"/> names the message in the
    /// sentence; null speaks of "the body".
    /// </summary>
    public static string? Describe(JsonException exception, ReadOnlySpan<byte> json, Type type, JsonSerializerOptions options, string? messageName)
    {
        try
        {
            using var document = JsonDocument.Parse(WithoutByteOrderMark(json).ToArray());
            return Describe(exception, document.RootElement, type, options, messageName);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="Describe(JsonException, ReadOnlySpan{byte}, Type, JsonSerializerOptions, string?)"/>
    public static string? Describe(JsonException exception, JsonElement root, Type type, JsonSerializerOptions options, string? messageName)
    {
        if (exception.Path is not { } path || !TryFind(root, path, out var element))
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Null && path != "$")
        {
            // The reader stops at a null only where null is not allowed: a non-nullable reference or a value type.
            var member = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];
            return messageName is null
                ? $"The body's '{member}' must not be null."
                : $"The '{member}' of a '{messageName}' message must not be null.";
        }

        if (path != "$" || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var present = element.EnumerateObject().Select(p => p.Name).ToList();
        var missing = options.GetTypeInfo(type).Properties
            .Where(p => p.IsRequired && !present.Exists(name => string.Equals(name, p.Name, comparison)))
            .Select(p => $"'{p.Name}'")
            .ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var list = missing.Count == 1 ? missing[0] : string.Join(", ", missing.Take(missing.Count - 1)) + " and " + missing[^1];
        return messageName is null ? $"The body is missing {list}." : $"The '{messageName}' message is missing {list}.";
    }

    /// <summary>
    /// Marks as required the members bound to constructor parameters without a default value whose type is not
    /// nullable. System.Text.Json's own <c>RespectRequiredConstructorParameters</c> also requires a <c>string?</c>
    /// parameter; a nullable member stays optional here.
    /// </summary>
    private static void RequireParametersWithoutDefaults(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false, IsMemberInitializer: false })
            {
                property.IsRequired = true;
            }
        }
    }

    /// <summary>The element at a JSON path as System.Text.Json writes it: <c>$</c>, <c>$.a.b</c>, <c>$['a b']</c>, <c>$.a[0]</c>.</summary>
    private static bool TryFind(JsonElement root, string path, out JsonElement element)
    {
        element = root;
        if (!path.StartsWith('$'))
        {
            return false;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                if (!TryProperty(ref element, path[(i + 1)..end]))
                {
                    return false;
                }

                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0 || !TryProperty(ref element, path[(i + 2)..end]))
                {
                    return false;
                }

                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0
                    || element.ValueKind != JsonValueKind.Array
                    || !int.TryParse(path.AsSpan((i + 1)..end), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || index >= element.GetArrayLength())
                {
                    return false;
                }

                element = element[index];
                i = end + 1;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryProperty(ref JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            element = exact;
            return true;
        }

        // Case-insensitive reading matched the member under another spelling.
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                element = property.Value;
                return true;
            }
        }

        return false;
    }
}

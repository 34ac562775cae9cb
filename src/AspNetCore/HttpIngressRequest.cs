using System.Text.Json;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// An HTTP request to a routed ingress (<c>POST {prefix}/ingress/{name}/{**path}</c>), as its router sees it.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The rest of the path after the ingress name, without a leading '/' (empty when none).</param>
/// <param name="Query">The query string's values (the first of each name).</param>
/// <param name="Headers">The request headers (names case-insensitive; several values joined by ", ").</param>
/// <param name="Body">The JSON body, or null when there was none.</param>
public sealed record HttpIngressRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonElement? Body)
{
    // Web defaults, strict about the members a type cannot do without, as messages are read.
    private static readonly Lazy<JsonSerializerOptions> WebBodies = new(() => MessageJson.ForMessages(JsonSerializerOptions.Web));

    /// <summary>
    /// The body read as <typeparamref name="T"/>; throws a <see cref="JsonException"/> when it does not fit. With
    /// the default options (web defaults), as messages are read: a member bound to a constructor parameter without a
    /// default value whose type is not nullable, or a <c>required</c> one, must be there and not null (the exception
    /// names it); <paramref name="options"/> are used as they are.
    /// </summary>
    public T BodyAs<T>(JsonSerializerOptions? options = null)
    {
        if (Body is not { } body)
        {
            throw new JsonException($"The request has no body; a {typeof(T).Name} was expected.");
        }

        try
        {
            return body.Deserialize<T>(options ?? WebBodies.Value) ?? throw new JsonException($"The body is null; a {typeof(T).Name} was expected.");
        }
        catch (JsonException exception) when (options is null && MessageJson.Describe(exception, body, typeof(T), WebBodies.Value, messageName: null) is { } plain)
        {
            throw new JsonException(plain, exception.Path, exception.LineNumber, exception.BytePositionInLine, exception);
        }
    }
}

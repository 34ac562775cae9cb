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
    /// <summary>The body read as <typeparamref name="T"/> (web JSON defaults); throws a <see cref="JsonException"/> when it does not fit.</summary>
    public T BodyAs<T>(JsonSerializerOptions? options = null) =>
        Body is { } body
            ? body.Deserialize<T>(options ?? JsonSerializerOptions.Web) ?? throw new JsonException($"The body is null; a {typeof(T).Name} was expected.")
            : throw new JsonException($"The request has no body; a {typeof(T).Name} was expected.");
}

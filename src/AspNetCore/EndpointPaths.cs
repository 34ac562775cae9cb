using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// The paths of the endpoints under the prefix, and the methods each answers, to tell a wrong method (405 with an
/// <c>Allow</c> header) from a path no endpoint has (404). The first segments <c>ingress</c>, <c>egress</c> and
/// <c>health</c> are the endpoints': a path starting with one of them never addresses a function, so
/// <c>POST egress/audit/notes</c> is a wrong method on the egress endpoint, not a send to function type <c>egress/audit</c>.
/// </summary>
internal static class EndpointPaths
{
    private static readonly string[] Post = [HttpMethods.Post];
    private static readonly string[] Get = [HttpMethods.Get];
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>True for a first segment that names an endpoint, not a function type namespace.</summary>
    public static bool IsReserved(string segment) => segment is "ingress" or "egress" or "health";

    /// <summary>
    /// The answer to a request no endpoint took: 405 when an endpoint has the path under another method, else 404.
    /// <paramref name="segments"/> is the path under the prefix.
    /// </summary>
    public static IResult Unmatched(HttpContext http, IReadOnlyList<string> segments, string prefix)
    {
        var allowed = MethodsOf(segments);
        if (allowed.Length > 0 && !allowed.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            http.Response.Headers[HeaderNames.Allow] = string.Join(", ", allowed);
            return Problems.MethodNotAllowed($"{http.Request.Method} is not allowed on {http.Request.Path}; use {string.Join(" or ", allowed)}.");
        }

        return Problems.NotFound(
            "No such endpoint",
            $"No endpoint for {http.Request.Method} {http.Request.Path}. Use POST {prefix}/{{namespace}}/{{type}}/{{id}}[/ask], POST {prefix}/ingress/{{name}}, GET {prefix}/egress/{{namespace}}/{{name}}, GET {prefix}/health/live or /health/ready.");
    }

    /// <summary>The segments of a catch-all route value (a trailing '/' ignored, as routing does).</summary>
    public static IReadOnlyList<string> SegmentsOf(string? rest) =>
        string.IsNullOrEmpty(rest) ? [] : rest.TrimEnd('/').Split('/');

    private static string[] MethodsOf(IReadOnlyList<string> segments)
    {
        if (segments.Any(s => s.Length == 0))
        {
            return [];
        }

        return segments switch
        {
            ["ingress", _, ..] => Post,
            ["egress", _, _] => Get,
            ["health", "live" or "ready"] => GetOrHead,
            [var first, ..] when IsReserved(first) => [],
            [_, _, _] or [_, _, _, "ask"] => Post,
            _ => [],
        };
    }
}

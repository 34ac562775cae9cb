using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// The id of an address as a URL writes it: one path segment, percent-decoded exactly once as UTF-8, so that
/// <c>s%2Fl</c> is the id <c>s/l</c> and <c>s%252Fl</c> the id <c>s%2Fl</c>.
/// </summary>
/// <remarks>
/// Kestrel decodes the path before routing, but leaves <c>%2F</c> encoded (an encoded '/' must not split a segment)
/// and leaves percent sequences that are not UTF-8 as they are. The route value is then ambiguous: <c>s%2Fl</c> is
/// what both <c>s%2Fl</c> and <c>s%252Fl</c> arrive as, and <c>q%FFq</c> what both <c>q%FFq</c> and
/// <c>q%25FFq</c> do. So the id is decoded from the request target as the client sent it
/// (<see cref="IHttpRequestFeature.RawTarget"/>).
/// </remarks>
internal static class PathIds
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The id in the path segment <paramref name="fromEnd"/> segments from the end (1: the last), decoded once from
    /// the raw target; <paramref name="routeId"/> (the route value) is the segment as Kestrel decoded it, to find the
    /// segment in the raw target and to fall back on when the path was rewritten after it arrived. False with the
    /// reason when the segment is not percent-encoded UTF-8.
    /// </summary>
    public static bool TryDecode(HttpContext http, string routeId, int fromEnd, out string id, [NotNullWhen(false)] out string? problem)
    {
        id = routeId;
        problem = null;
        if (RawSegment(http, fromEnd) is not { } raw || DecodeAsKestrel(raw) != routeId)
        {
            // No raw target, or one that is not this path (a rewrite): the route value is all there is.
            return true;
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (TryEscapedByte(raw, i, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(raw[i].ToString()));
            }
        }

        try
        {
            id = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException exception)
        {
            var bad = string.Concat((exception.BytesUnknown ?? []).Select(b => string.Create(CultureInfo.InvariantCulture, $"%{b:X2}")));
            problem = $"The id '{raw}' in the path is not UTF-8: '{bad}' is not a UTF-8 character. Percent-encode the UTF-8 bytes of each character (and a '%' itself as %25).";
            return false;
        }
    }

    /// <summary>The path segment <paramref name="fromEnd"/> from the end of the raw request target, or null.</summary>
    private static string? RawSegment(HttpContext http, int fromEnd)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            return null;
        }

        // Origin form (/a/b?q) or absolute form (http://host/a/b?q).
        if (!target.StartsWith('/'))
        {
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            var slash = scheme < 0 ? -1 : target.IndexOf('/', scheme + 3);
            if (slash < 0)
            {
                return null;
            }

            target = target[slash..];
        }

        var end = target.IndexOfAny(['?', '#']);
        var path = end < 0 ? target : target[..end];
        var segments = path.Split('/');
        var count = segments.Length - (path.EndsWith('/') ? 1 : 0);
        return count - fromEnd >= 1 ? segments[count - fromEnd] : null;
    }

    /// <summary>
    /// What Kestrel makes of a raw segment: percent sequences of UTF-8 characters decoded, except <c>%2F</c>, and any
    /// other sequence left as it is.
    /// </summary>
    private static string DecodeAsKestrel(string raw)
    {
        var text = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            if (!TryEscapedByte(raw, i, out var first) || first == (byte)'/')
            {
                text.Append(raw[i]);
                i++;
                continue;
            }

            var length = first < 0x80 ? 1 : first >= 0xC2 && first <= 0xDF ? 2 : first >= 0xE0 && first <= 0xEF ? 3 : first >= 0xF0 && first <= 0xF4 ? 4 : 0;
            var bytes = new byte[Math.Max(length, 1)];
            bytes[0] = first;
            var complete = length > 0;
            for (var k = 1; complete && k < length; k++)
            {
                complete = TryEscapedByte(raw, i + (3 * k), out bytes[k]);
            }

            string? decoded = null;
            if (complete)
            {
                try
                {
                    decoded = StrictUtf8.GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                }
            }

            if (decoded is null)
            {
                text.Append(raw, i, 3);
                i += 3;
            }
            else
            {
                text.Append(decoded);
                i += 3 * length;
            }
        }

        return text.ToString();
    }

    private static bool TryEscapedByte(string text, int at, out byte value)
    {
        value = 0;
        return at + 2 < text.Length && text[at] == '%'
            && byte.TryParse(text.AsSpan(at + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}

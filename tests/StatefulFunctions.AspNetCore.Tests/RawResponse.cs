using System.Globalization;
using System.Text;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>An HTTP/1.1 answer read off a socket: status, headers (names in lower case) and the body as text.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The answer in <paramref name="bytes"/>, or null while it is incomplete (Content-Length or chunked).</summary>
    public static RawResponse? TryParse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        var rest = text[(end + 4)..];
        if (headers.TryGetValue("content-length", out var length))
        {
            var count = int.Parse(length, CultureInfo.InvariantCulture);
            return Encoding.UTF8.GetByteCount(rest) < count ? null : new RawResponse(status, headers, rest);
        }

        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            while (true)
            {
                var lineEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
                if (lineEnd < 0)
                {
                    return null;
                }

                var size = int.Parse(rest[..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    return new RawResponse(status, headers, body.ToString());
                }

                // The answers read here are ASCII JSON, so a chunk's size in bytes is its size in characters.
                if (rest.Length < lineEnd + 2 + size + 2)
                {
                    return null;
                }

                body.Append(rest, lineEnd + 2, size);
                rest = rest[(lineEnd + 2 + size + 2)..];
            }
        }

        return new RawResponse(status, headers, rest);
    }
}

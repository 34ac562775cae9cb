using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace StatefulFunctions.AspNetCore;

/// <summary>Reads a request body up to a limit.</summary>
internal static class HttpRequestBody
{
    /// <summary>The body's bytes, or null when it is larger than <paramref name="limit"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return null;
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return body.ToArray();
    }
}

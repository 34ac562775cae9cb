using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StatefulFunctions.AspNetCore;

/// <summary>Reads a request body up to a limit.</summary>
internal static partial class HttpRequestBody
{
    /// <summary>
    /// The body's bytes, or the problem that stops it: larger than <paramref name="limit"/> (413, read no further),
    /// or refused by the server while it was read: it ended before its Content-Length (400) or came too slowly for
    /// Kestrel's <c>MinRequestBodyDataRate</c> (408).
    /// </summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, long limit, ILogger logger, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
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
                    return (null, Problems.TooLarge(limit));
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException exception)
        {
            // The client's doing, not a failure of the server: answered with a problem and logged as information
            // (unhandled, it would be an error log and an empty answer).
            var detail = exception.StatusCode == StatusCodes.Status408RequestTimeout
                ? $"The request body came too slowly: {body.Length:N0} bytes arrived before the server stopped waiting (Kestrel's MinRequestBodyDataRate). Nothing was sent."
                : request.ContentLength is { } length && body.Length < length
                    ? $"The request body ended before the {length:N0} bytes of its Content-Length: {body.Length:N0} arrived. Nothing was sent."
                    : $"The request body could not be read: {exception.Message} Nothing was sent.";
            LogBodyRefused(logger, request.Method, request.Path, exception.StatusCode, detail);
            return (null, Problems.UnreadableBody(exception.StatusCode, detail));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (body.ToArray(), null);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Method} {Path}: the request body was refused with {StatusCode}: {Detail}")]
    private static partial void LogBodyRefused(ILogger logger, string method, PathString path, int statusCode, string detail);
}

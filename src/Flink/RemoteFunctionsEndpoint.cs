using System.Buffers;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Flink.Protocol;

namespace StatefulFunctions.Flink;

/// <summary>
/// The HTTP side of the remote-function endpoint: reads a <c>ToFunction</c> body, runs it, and answers the
/// <c>FromFunction</c> with exactly <c>Content-Type: application/octet-stream</c> (StateFun's OkHttp client refuses any
/// parameter). Refusals are problem details: 400 malformed, 404 unknown function type, 413 too large, 415 not
/// protobuf, 422 a message or state this code cannot read; a handler that throws gets 500 and StateFun retries the batch.
/// </summary>
internal sealed partial class RemoteFunctionsEndpoint(RemoteInvocationHandler handler, RemoteFunctionsOptions options, ILogger logger)
{
    public const string ContentType = "application/octet-stream";

    public async Task HandleAsync(HttpContext http)
    {
        FromFunction answer;
        try
        {
            var request = await ReadAsync(http).ConfigureAwait(false);
            answer = await handler.InvokeAsync(request).ConfigureAwait(false);
        }
        catch (RemoteRequestException refused)
        {
            LogRefused(logger, refused.StatusCode, refused.Message);
            await WriteProblemAsync(http, refused.StatusCode, refused.Title, refused.Message).ConfigureAwait(false);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, exception);
            await WriteProblemAsync(
                http,
                StatusCodes.Status500InternalServerError,
                "Handler failed",
                $"{exception.GetType().Name}: {exception.Message} (nothing of the batch applies; StateFun retries it).").ConfigureAwait(false);
            return;
        }

        var body = answer.ToByteArray();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ContentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task<ToFunction> ReadAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (contentType is not null && !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteRequestException(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type",
                $"The body must be a protobuf ToFunction message sent as '{ContentType}', not '{contentType}'.");
        }

        var limit = options.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (body.Length == 0)
        {
            throw new RemoteRequestException(StatusCodes.Status400BadRequest, "Malformed request", "The body is empty: expected a protobuf ToFunction message.");
        }

        try
        {
            return ToFunction.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new RemoteRequestException(
                StatusCodes.Status400BadRequest,
                "Malformed request",
                $"The body ({body.Length} bytes) is not a protobuf ToFunction message: {exception.Message}",
                exception);
        }
    }

    private static RemoteRequestException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body is larger than the limit of {limit:N0} bytes (RemoteFunctionsOptions.MaxRequestBytes).");

    private static Task WriteProblemAsync(HttpContext http, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(http);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "StateFun request refused with {StatusCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "A handler failed on a StateFun invocation batch; answering 500 so that StateFun retries it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

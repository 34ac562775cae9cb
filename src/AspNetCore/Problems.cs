using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace StatefulFunctions.AspNetCore;

/// <summary>The problem-details answers of the endpoints: each names what is wrong with the request.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string title, string detail) => Create(StatusCodes.Status404NotFound, title, detail);

    public static ProblemHttpResult BadRequest(string title, string detail) => Create(StatusCodes.Status400BadRequest, title, detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail);

    public static ProblemHttpResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body is larger than the limit of {limit:N0} bytes (StatefulFunctionsHttpOptions.MaxBodyBytes).");

    /// <summary>A body the server stopped reading: <paramref name="status"/> is Kestrel's (400 cut short, 408 too slow).</summary>
    public static ProblemHttpResult UnreadableBody(int status, string detail) =>
        Create(status, status == StatusCodes.Status408RequestTimeout ? "Request body too slow" : "Incomplete request body", detail);

    /// <summary>405: the path is an endpoint's, the method is not (the Allow header is set by the caller).</summary>
    public static ProblemHttpResult MethodNotAllowed(string detail) => Create(StatusCodes.Status405MethodNotAllowed, "Method not allowed", detail);

    public static ProblemHttpResult Unprocessable(string title, string detail) => Create(StatusCodes.Status422UnprocessableEntity, title, detail);

    public static ProblemHttpResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>
    /// 409 naming the key (and the address) that was used for a different message; the message types only when
    /// <paramref name="canName"/> says the first one may be named over HTTP (the key may have been used by the
    /// application's own code for an internal message).
    /// </summary>
    public static ProblemHttpResult IdempotencyConflict(IdempotencyConflictException exception, Func<string, bool> canName)
    {
        var problem = TypedResults.Problem(
            detail: exception.OriginalMessageType is { } original && canName(original)
                ? exception.Message
                : $"Idempotency key '{exception.IdempotencyKey}' was already used for a different message to {exception.Target}. A retry must send the same message; a new message needs a new key.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Idempotency key reused for a different message",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["idempotencyKey"] = exception.IdempotencyKey,
                ["target"] = exception.Target.ToString(),
            });
        return problem;
    }

    public static ProblemHttpResult Unavailable(string detail) => Create(StatusCodes.Status503ServiceUnavailable, "Not accepting work", detail);

    /// <summary>
    /// 500: the message was accepted, but its handler failed on every attempt and it was dead-lettered (the server's
    /// failure, not the request's; the dead letter can be re-driven once the handler is fixed). The detail names the
    /// dead letter; the handler's own exception only when <paramref name="showFailure"/> says clients may see it.
    /// </summary>
    public static ProblemHttpResult HandlerFailed(DeadLetterException exception, bool showFailure) =>
        Create(StatusCodes.Status500InternalServerError, "The handler failed", showFailure && exception.InnerException is { } failure
            ? $"{exception.Message} The last failure: {failure.GetType().Name}: {failure.Message}"
            : exception.Message);

    public static ProblemHttpResult NoReply(string detail) => Create(StatusCodes.Status502BadGateway, "No reply", detail);

    /// <summary>504: an ask's wait ended before the reply came; the message was accepted all the same.</summary>
    public static ProblemHttpResult Timeout(TimeoutException exception) =>
        Create(StatusCodes.Status504GatewayTimeout, "No reply in time", $"{exception.Message} The message was accepted and will still be handled.");

    private static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}

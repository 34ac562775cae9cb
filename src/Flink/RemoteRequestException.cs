namespace StatefulFunctions.Flink;

/// <summary>
/// A request the endpoint refuses without running user code, with the HTTP status and the reason it answers. StateFun
/// fails at once on most 4xx answers (a retry would get the same), and retries 5xx ones.
/// </summary>
internal sealed class RemoteRequestException(int statusCode, string title, string detail, Exception? inner = null)
    : Exception(detail, inner)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}

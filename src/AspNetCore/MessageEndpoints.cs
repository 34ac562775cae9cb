using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// Sending to and asking functions over HTTP: <c>POST {prefix}/{namespace}/{type}/{id}</c> (202 once the message is
/// durable) and its <c>/ask</c> form or <c>Prefer: wait</c> (the reply, or 504).
/// </summary>
internal sealed class MessageEndpoints(RuntimeServices services, StatefulFunctionsHttpOptions options, string prefix, ILogger logger)
{
    /// <summary>The header naming the message type of an <c>application/json</c> or MemoryPack body.</summary>
    public const string MessageTypeHeader = "Message-Type";

    /// <summary>The content type of a MemoryPack body (its type named by <see cref="MessageTypeHeader"/>).</summary>
    public const string MemoryPackMediaType = "application/x-memorypack";

    /// <summary>The header carrying the client's idempotency key of a send or ask.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The shortest wait for a reply a request may ask for: 1 ms. Shorter ones would round to no wait at all.</summary>
    public const double MinimumWaitSeconds = 0.001;

    private readonly Lazy<HttpMessageTypes> _types = new(() => new HttpMessageTypes(services.Model.MessageTypes));

    /// <summary>The function types that handle a public message type: the only ones HTTP can reach.</summary>
    private FrozenSet<TypeName> OpenFunctions => field ??= services.Model.Functions
        .Where(f => _types.Value.AnyPublic(f.Value.Descriptor.MessageTypes))
        .Select(f => f.Key)
        .ToFrozenSet();

    // Strict about the members a message cannot do without; writing replies keeps options.JsonOptions as they are.
    private readonly JsonSerializerOptions _messageJson = MessageJson.ForMessages(options.JsonOptions);

    public async Task<IResult> SendAsync(HttpContext http, string @namespace, string type, string id)
    {
        if (EndpointPaths.IsReserved(@namespace))
        {
            return EndpointPaths.Unmatched(http, [@namespace, type, id], prefix);
        }

        if (!TryReadWaitPreference(http.Request, out var wait, out var problem))
        {
            return problem;
        }

        if (wait is { } preferred)
        {
            return await AskCoreAsync(http, @namespace, type, id, idFromEnd: 1, preferred).ConfigureAwait(false);
        }

        (var target, var message, problem) = await ReadAsync(http, @namespace, type, id, idFromEnd: 1).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryReadIdempotencyKey(http.Request, out var key, out problem))
        {
            return problem;
        }

        try
        {
            // Not cancelled with the request: once read, the message is either refused with an answer or accepted.
            // A retry with the key of an accepted message is answered as the original was, and sends nothing.
            await (key is null
                ? services.Client.SendAsync(target, message!, CancellationToken.None)
                : services.Client.SendAsync(target, message!, key, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (IdempotencyConflictException exception)
        {
            return Problems.IdempotencyConflict(exception, name => _types.Value.ByName(name) is not null);
        }
        catch (InvalidOperationException exception)
        {
            return Refused(exception);
        }

        return TypedResults.Accepted((string?)null, new SendAccepted(target.ToString(), MessageTypeNames.Of(message!.GetType())));
    }

    public async Task<IResult> AskAsync(HttpContext http, string @namespace, string type, string id)
    {
        if (EndpointPaths.IsReserved(@namespace))
        {
            return EndpointPaths.Unmatched(http, [@namespace, type, id, "ask"], prefix);
        }

        if (!TryReadWaitPreference(http.Request, out var preferred, out var problem))
        {
            return problem;
        }

        var wait = preferred ?? options.AskTimeout;
        if (http.Request.Query.TryGetValue("timeout", out var values) && !TryParseWait(values.ToString(), out wait))
        {
            return Problems.BadRequest("Invalid timeout", $"'timeout' must be {WaitRule()}, not '{values}'. Nothing was sent.");
        }

        return await AskCoreAsync(http, @namespace, type, id, idFromEnd: 2, wait).ConfigureAwait(false);
    }

    private async Task<IResult> AskCoreAsync(HttpContext http, string @namespace, string type, string id, int idFromEnd, TimeSpan wait)
    {
        var (target, message, problem) = await ReadAsync(http, @namespace, type, id, idFromEnd).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryReadIdempotencyKey(http.Request, out var key, out problem))
        {
            return problem;
        }

        wait = wait > options.MaxAskTimeout ? options.MaxAskTimeout : wait;

        // The ask itself is not tied to the request: a client that goes away while waiting does not take the message
        // with it. Only the wait for the reply ends with the request. A retry with the key of an accepted message gets
        // the original's reply (at once, or when it comes) and sends nothing.
        var asking = key is null
            ? services.Client.AskAsync<object?>(target, message!, wait, CancellationToken.None)
            : services.Client.AskAsync<object?>(target, message!, wait, key, CancellationToken.None);
        object? reply;
        try
        {
            reply = await asking.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty;
        }
        catch (IdempotencyConflictException exception)
        {
            return Problems.IdempotencyConflict(exception, name => _types.Value.ByName(name) is not null);
        }
        catch (TimeoutException exception)
        {
            return Problems.Timeout(exception);
        }
        catch (DeadLetterException exception)
        {
            // A retry with the same key gets this answer again.
            return Problems.HandlerFailed(exception, options.ShowHandlerFailures);
        }
        catch (InvalidOperationException exception) when (services.IsAcceptingWork)
        {
            // Handled, but the handler did not reply (or replied with something else than asked for).
            return Problems.NoReply(exception.Message);
        }
        catch (InvalidOperationException exception)
        {
            return Refused(exception);
        }

        return reply is null
            ? TypedResults.NoContent()
            : TypedResults.Json(reply, options.JsonOptions, contentType: null, statusCode: StatusCodes.Status200OK);
    }

    /// <summary>
    /// Reads the target address and the message, or the problem that stops it. The id is the path segment
    /// <paramref name="idFromEnd"/> segments from the end.
    /// </summary>
    private async Task<(Address Target, object? Message, IResult? Problem)> ReadAsync(HttpContext http, string @namespace, string type, string id, int idFromEnd)
    {
        var typeText = @namespace + "/" + type;
        if (!TypeName.TryParse(typeText, out var typeName))
        {
            return (default, null, Problems.BadRequest("Invalid function type", $"'{typeText}' is not a function type name ('namespace/name')."));
        }

        // A function type that handles no public message type is not there for HTTP: the same answer as an unknown one.
        if (!OpenFunctions.Contains(typeName) || !services.Model.Functions.TryGetValue(typeName, out var function))
        {
            return (default, null, Problems.NotFound("Unknown function type", $"No function type '{typeName}' takes messages over HTTP in this application."));
        }

        if (!PathIds.TryDecode(http, id, idFromEnd, out id, out var undecodable))
        {
            return (default, null, Problems.BadRequest("Invalid id", undecodable));
        }

        if (AddressRules.ProblemWithId(id) is { } why)
        {
            return (default, null, Problems.BadRequest("Invalid id", $"The id of an address {why}."));
        }

        var target = new Address(typeName, id);
        var (descriptor, format, problem) = MessageTypeOf(http.Request);
        if (problem is not null)
        {
            return (target, null, problem);
        }

        if (!function.Handles(descriptor!.ClrType))
        {
            return (target, null, Problems.Unprocessable("Message not handled", $"Function type '{typeName}' does not handle '{descriptor.Name}' messages."));
        }

        var (body, unreadable) = await HttpRequestBody.ReadAsync(http.Request, options.MaxBodyBytes, logger, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (target, null, unreadable);
        }

        object? message;
        try
        {
            message = format == BodyFormat.Json
                ? JsonSerializer.Deserialize(MessageJson.WithoutByteOrderMark(body), descriptor.ClrType, _messageJson)
                : descriptor.Deserialize(body);
        }
        catch (JsonException exception) when (format == BodyFormat.Json)
        {
            return (target, null, Problems.BadRequest("Invalid body",
                MessageJson.Describe(exception, body, descriptor.ClrType, _messageJson, descriptor.Name) ?? $"The body is not a '{descriptor.Name}' message in JSON: {exception.Message}"));
        }
        catch (Exception exception) when (format == BodyFormat.Json && exception is NotSupportedException or ArgumentException)
        {
            return (target, null, Problems.BadRequest("Invalid body", $"The body is not a '{descriptor.Name}' message in JSON: {exception.Message}"));
        }
        catch (Exception exception) when (format == BodyFormat.MemoryPack && exception is not OutOfMemoryException)
        {
            // Bytes that are not the message make MemoryPack throw more than its own exception: InvalidDataException
            // for a null, IndexOutOfRangeException or OverflowException for lengths past the end, and so on. All are
            // the body's fault.
            return (target, null, Problems.BadRequest("Invalid body", $"The body is not a '{descriptor.Name}' message in MemoryPack: {exception.Message}"));
        }

        return message is null
            ? (target, null, Problems.BadRequest("Invalid body", $"The body is null; a '{descriptor.Name}' message was expected."))
            : (target, message, null);
    }

    private (MessageTypeDescriptor? Type, BodyFormat Format, IResult? Problem) MessageTypeOf(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return (null, default, Problems.UnsupportedMediaType(
                $"Say the message type in Content-Type: 'application/vnd.<message type>+json' (e.g. {Example()}), or 'application/json' or '{MemoryPackMediaType}' with a {MessageTypeHeader} header."));
        }

        if (HttpMessageTypes.IsMessageMediaType(mediaType))
        {
            var type = _types.Value.ByMediaType(mediaType, out var ambiguous);
            return type is not null
                ? (type, BodyFormat.Json, null)
                : ambiguous
                    ? (null, default, Problems.UnsupportedMediaType($"'{mediaType}' names two message types; use 'application/json' with a {MessageTypeHeader} header instead."))
                    : (null, default, NoSuchMessageType($"'{mediaType}'"));
        }

        var format = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ? BodyFormat.Json
            : mediaType.Equals(MemoryPackMediaType, StringComparison.OrdinalIgnoreCase) ? BodyFormat.MemoryPack
            : (BodyFormat?)null;
        if (format is null)
        {
            return (null, default, Problems.UnsupportedMediaType(
                $"'{mediaType}' is not a message content type: use 'application/vnd.<message type>+json', 'application/json' or '{MemoryPackMediaType}'."));
        }

        var name = request.Headers[MessageTypeHeader].ToString();
        if (name.Length == 0)
        {
            return (null, default, Problems.UnsupportedMediaType($"A '{mediaType}' body needs a {MessageTypeHeader} header naming its message type. Known: {Known()}."));
        }

        return _types.Value.ByName(name) is { } named
            ? (named, format.Value, null)
            : (null, default, NoSuchMessageType($"{MessageTypeHeader} '{name}'"));
    }

    /// <summary>404 for a message type that is unknown or not public: the two are not told apart, and only public ones are listed.</summary>
    private IResult NoSuchMessageType(string named) =>
        Problems.NotFound("Unknown message type", $"{named} names no message type this application takes over HTTP. Public message types: {Known()}.");

    private string Known() => _types.Value.Names.Any() ? string.Join(", ", _types.Value.Names.Select(n => $"'{n}'")) : "none (mark the message types clients may send with [PublicMessage])";

    private string Example() => _types.Value.Names.FirstOrDefault() is { } name ? $"'{HttpMessageTypes.MediaTypeOf(name)}'" : "'application/vnd.orders.place-order+json'";

    private static IResult Refused(InvalidOperationException exception) => Problems.Unavailable(exception.Message);

    /// <summary>
    /// The <c>Idempotency-Key</c> header: null when absent, else the key, or a problem when it is not a valid key
    /// (empty, over 256 characters, given twice).
    /// </summary>
    internal static bool TryReadIdempotencyKey(HttpRequest request, out string? key, [NotNullWhen(false)] out IResult? problem)
    {
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            return true;
        }

        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            problem = Problems.BadRequest("Invalid Idempotency-Key", $"Give one non-empty {IdempotencyKeyHeader} header, not {values.Count} value(s): '{values}'.");
            return false;
        }

        try
        {
            IdempotencyKeys.Validate(values[0]!);
        }
        catch (ArgumentException exception)
        {
            problem = Problems.BadRequest("Invalid Idempotency-Key", exception.Message);
            return false;
        }

        key = values[0];
        return true;
    }

    /// <summary>
    /// RFC 7240 <c>Prefer: wait=N</c>: the client waits up to N seconds for the reply. <paramref name="wait"/> is null
    /// when there is no wait preference (the first one counts, as RFC 7240 says); false with a problem when its value
    /// is not a usable number of seconds, rather than sending the message without waiting as the client did not ask.
    /// </summary>
    private bool TryReadWaitPreference(HttpRequest request, out TimeSpan? wait, [NotNullWhen(false)] out IResult? problem)
    {
        wait = null;
        problem = null;
        foreach (var preference in request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')))
        {
            // A preference's own parameters (after ';') do not change its value.
            var parts = preference.Split(';', 2)[0].Split('=', 2, StringSplitOptions.TrimEntries);
            if (!parts[0].Equals("wait", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = parts.Length == 2 ? parts[1].Trim('"') : "";
            if (!TryParseWait(value, out var seconds))
            {
                problem = Problems.BadRequest("Invalid wait preference", $"'Prefer: wait=N' must be {WaitRule()}, not '{preference.Trim()}'. Nothing was sent.");
                return false;
            }

            wait = seconds;
            return true;
        }

        return true;
    }

    /// <summary>
    /// A wait in seconds: a number from <see cref="MinimumWaitSeconds"/> on (a longer one than
    /// <see cref="StatefulFunctionsHttpOptions.MaxAskTimeout"/> is cut to it later). Zero, negative, NaN, infinite and
    /// numbers too large for a <see cref="TimeSpan"/> are not waits.
    /// </summary>
    private static bool TryParseWait(string text, out TimeSpan wait)
    {
        var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds >= MinimumWaitSeconds && seconds < TimeSpan.MaxValue.TotalSeconds;
        wait = ok ? TimeSpan.FromSeconds(seconds) : default;
        return ok;
    }

    private string WaitRule() =>
        $"a number of seconds from {MinimumWaitSeconds.ToString(CultureInfo.InvariantCulture)} (1 ms) on; a wait longer than {options.MaxAskTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (StatefulFunctionsHttpOptions.MaxAskTimeout) is cut to it";

    private enum BodyFormat
    {
        Json,
        MemoryPack,
    }
}

/// <summary>The body of a 202 answer: where the message went and as what.</summary>
/// <param name="Target">The address, <c>namespace/type/id</c>.</param>
/// <param name="MessageType">The stable name of the message type.</param>
public sealed record SendAccepted(string Target, string MessageType);

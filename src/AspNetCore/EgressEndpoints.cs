using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.AspNetCore;

/// <summary>
/// <c>GET {prefix}/egress/{namespace}/{name}</c>: the records of an egress, as server-sent events
/// (<c>Accept: text/event-stream</c>; each event's id is the record id, resume with <c>Last-Event-ID</c>) or by
/// long-poll (a JSON batch; resume with <c>?after=</c> the last id handled).
/// </summary>
internal sealed class EgressEndpoints(RuntimeServices services, StatefulFunctionsHttpOptions options)
{
    private readonly ConcurrentDictionary<TypeName, HttpEgressConsumer> _consumers = new();

    public async Task<IResult> ReadAsync(HttpContext http, string @namespace, string name)
    {
        var text = @namespace + "/" + name;
        if (!TypeName.TryParse(text, out var egress) || !services.Model.Egresses.ContainsKey(egress))
        {
            return Problems.NotFound("Unknown egress", $"No egress '{text}' is declared in this application.");
        }

        if (!TryCursor(http.Request, out var cursor))
        {
            return Problems.BadRequest("Invalid cursor", "The cursor (Last-Event-ID or ?after=) is the id of the last record handled: a whole number.");
        }

        var consumer = _consumers.GetOrAdd(egress, e => new HttpEgressConsumer(services, e, services.Egress.ReaderOf(e)));
        if (!await consumer.TryBeginAsync(http.RequestAborted).ConfigureAwait(false))
        {
            return Problems.Conflict($"Egress '{egress}' is being read by another request; an egress has one HTTP consumer at a time.");
        }

        try
        {
            var resent = await consumer.ResumeAfterAsync(cursor).ConfigureAwait(false);
            return http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
                ? await StreamAsync(http, consumer, resent).ConfigureAwait(false)
                : await PollAsync(http, consumer, resent).ConfigureAwait(false);
        }
        finally
        {
            consumer.End();
        }
    }

    private async Task<IResult> StreamAsync(HttpContext http, HttpEgressConsumer consumer, IReadOnlyList<(long Id, object Record)> resent)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            foreach (var record in resent)
            {
                await WriteEventAsync(response, record).ConfigureAwait(false);
            }

            while (await consumer.NextAsync(http.RequestAborted).ConfigureAwait(false) is { } record)
            {
                await WriteEventAsync(response, record).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The consumer went away; what it was sent stays unacknowledged until its next cursor covers it.
        }

        return TypedResults.Empty;
    }

    private async Task<IResult> PollAsync(HttpContext http, HttpEgressConsumer consumer, IReadOnlyList<(long Id, object Record)> resent)
    {
        if (!TryWholeQuery(http.Request, "max", 1, 10_000, 100, out var max) || !TryQuery(http.Request, "wait", 0, options.MaxAskTimeout.TotalSeconds, 30, out var waitSeconds))
        {
            return Problems.BadRequest("Invalid query", $"'max' is a whole number of records from 1 to 10,000 and 'wait' a number of seconds from 0 to {options.MaxAskTimeout.TotalSeconds:N0}.");
        }

        var records = resent.Take(max).ToList();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        wait.CancelAfter(TimeSpan.FromSeconds(waitSeconds));
        try
        {
            while (records.Count < max)
            {
                // Wait only for the first record; after that, take what is there.
                var token = records.Count == 0 ? wait.Token : new CancellationToken(canceled: true);
                if (await consumer.NextAsync(token).ConfigureAwait(false) is not { } record)
                {
                    break;
                }

                records.Add(record);
            }
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            // The wait is over.
        }

        var batch = records.Select(r => new EgressRecordBody(r.Id, MessageTypeNames.Of(r.Record.GetType()), JsonSerializer.SerializeToElement(r.Record, r.Record.GetType(), options.JsonOptions))).ToList();
        return TypedResults.Json(new EgressBatch(consumer.Egress.ToString(), batch), options.JsonOptions);
    }

    private async Task WriteEventAsync(HttpResponse response, (long Id, object Record) record)
    {
        var json = JsonSerializer.Serialize(record.Record, record.Record.GetType(), options.JsonOptions);
        var text = string.Create(CultureInfo.InvariantCulture, $"id: {record.Id}\nevent: {MessageTypeNames.Of(record.Record.GetType())}\ndata: {json}\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
        await response.Body.FlushAsync().ConfigureAwait(false);
    }

    private static bool TryCursor(HttpRequest request, out long cursor)
    {
        var text = request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0)
        {
            text = request.Query["after"].ToString();
        }

        cursor = 0;
        return text.Length == 0 || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out cursor) && cursor >= 0);
    }

    /// <summary>A whole number (digits only: not <c>1.5</c>, not <c>1e2</c>) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    private static bool TryWholeQuery(HttpRequest request, string name, int min, int max, int fallback, out int value)
    {
        var text = request.Query[name].ToString();
        value = fallback;
        return text.Length == 0 || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    private static bool TryQuery(HttpRequest request, string name, double min, double max, double fallback, out double value)
    {
        var text = request.Query[name].ToString();
        value = fallback;
        return text.Length == 0 || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}

/// <summary>A long-poll answer: the records handed out, oldest first; resume with <c>?after=</c> the last id handled.</summary>
/// <param name="Egress">The egress name.</param>
/// <param name="Records">The records.</param>
public sealed record EgressBatch(string Egress, IReadOnlyList<EgressRecordBody> Records);

/// <summary>One egress record over HTTP.</summary>
/// <param name="Id">The record id: increasing, stable across restarts, for de-duplication and as a cursor.</param>
/// <param name="Type">The stable name of the record's type.</param>
/// <param name="Value">The record as JSON.</param>
public sealed record EgressRecordBody(long Id, string Type, JsonElement Value);

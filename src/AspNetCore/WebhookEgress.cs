using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StatefulFunctions.AspNetCore;

/// <summary>How a webhook egress delivers its records.</summary>
public sealed class WebhookEgressOptions
{
    /// <summary>The first pause after a failed delivery (default 200 ms); it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between attempts (default 30 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one POST may take (default 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How records are written as JSON (web defaults).</summary>
    public JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}

/// <summary>Adds egresses delivered by HTTP POST.</summary>
public static class WebhookEgressServiceCollectionExtensions
{
    /// <summary>
    /// POSTs every record of <paramref name="egress"/> as JSON to <paramref name="url"/>, one at a time in order, with an
    /// <c>Idempotency-Key</c> header (<c>{egress}/{record id}</c>, stable across restarts) so the receiver can
    /// de-duplicate. A record is acknowledged once the receiver answered 2xx; until then it is retried with backoff
    /// (and, after a restart, delivered again): at-least-once.
    /// </summary>
    public static IServiceCollection AddWebhookEgress<T>(this IServiceCollection services, EgressId<T> egress, Uri url, Action<WebhookEgressOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(url);
        var options = new WebhookEgressOptions();
        configure?.Invoke(options);
        var client = "StatefulFunctions.Webhook." + egress.Name;
        services.AddHttpClient(client, http => http.Timeout = options.Timeout);
        services.AddSingleton<IHostedService>(provider => new WebhookEgressService<T>(
            provider.GetRequiredService<IStatefulFunctionsClient>(),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(client),
            egress,
            url,
            options,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<WebhookEgressService<T>>()));
        return services;
    }
}

/// <summary>Delivers the records of one egress to a URL.</summary>
internal sealed partial class WebhookEgressService<T>(
    IStatefulFunctionsClient client,
    HttpClient http,
    EgressId<T> egress,
    Uri url,
    WebhookEgressOptions options,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in client.ReadEgressRecordsAsync(egress, stoppingToken).ConfigureAwait(false))
            {
                await DeliverAsync(record, stoppingToken).ConfigureAwait(false);
                await client.AcknowledgeEgressAsync(egress, record.Id, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a record not yet delivered stays unacknowledged and is delivered again after the restart.
        }
        catch (InvalidOperationException exception)
        {
            // The runtime's durable storage failed: no more records come, and the ones not acknowledged are delivered
            // again after a restart. The host goes on (its readiness says why).
            LogStopped(logger, exception, egress.Name);
        }
    }

    private async Task DeliverAsync(EgressRecord<T> record, CancellationToken stoppingToken)
    {
        var backoff = options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(record.Value, options: options.JsonOptions),
            };
            request.Headers.Add(IdempotencyKeyHeader, $"{egress.Name}/{record.Id}");
            try
            {
                using var response = await http.SendAsync(request, stoppingToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogRefused(logger, egress.Name, record.Id, url, (int)response.StatusCode, attempt, backoff);
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                LogFailed(logger, exception, egress.Name, record.Id, url, attempt, backoff);
            }

            await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        }
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Webhook egress {Egress} stopped: the runtime no longer publishes records")]
    private static partial void LogStopped(ILogger logger, Exception exception, TypeName egress);

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Webhook egress {Egress}: {Url} answered {Status} to record {RecordId} (attempt {Attempt}); retrying in {Backoff}")]
    private static partial void LogRefused(ILogger logger, TypeName egress, long recordId, Uri url, int status, int attempt, TimeSpan backoff);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Webhook egress {Egress}: delivering record {RecordId} to {Url} failed (attempt {Attempt}); retrying in {Backoff}")]
    private static partial void LogFailed(ILogger logger, Exception exception, TypeName egress, long recordId, Uri url, int attempt, TimeSpan backoff);
}

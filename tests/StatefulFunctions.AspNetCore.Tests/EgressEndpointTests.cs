using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Egress over HTTP: server-sent events, long-poll, and a webhook to a second local listener.</summary>
public sealed class EgressEndpointTests
{
    [Fact]
    public async Task Server_sent_events_carry_record_ids_and_a_reconnect_resends_what_its_cursor_does_not_cover()
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var log = "log-" + Guid.NewGuid().ToString("N");
        for (var i = 1; i <= 3; i++)
        {
            await NoteAsync(server, log, $"note {i}");
        }

        var first = await ReadEventsAsync(server, lastEventId: null, count: 3);
        Assert.Equal(["note 1", "note 2", "note 3"], first.Select(e => e.Text));
        Assert.True(first[0].Id < first[1].Id && first[1].Id < first[2].Id);

        // Handled up to the second: the third is sent again, then what came since.
        await NoteAsync(server, log, "note 4");
        var second = await ReadEventsAsync(server, lastEventId: first[1].Id, count: 2);
        Assert.Equal([(first[2].Id, "note 3"), (second[1].Id, "note 4")], second.Select(e => (e.Id, e.Text)));
    }

    [Fact]
    public async Task Long_poll_returns_a_batch_and_the_next_cursor_acknowledges_it()
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var log = "log-" + Guid.NewGuid().ToString("N");
        await NoteAsync(server, log, "a");
        await NoteAsync(server, log, "b");
        await server.Runtime.WhenIdleAsync(); // accepted is not yet handled: wait until both notes are in the egress

        var batch = await server.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?wait=10");
        Assert.Equal(["a", "b"], batch!.Records.Select(r => r.Value.GetProperty("text").GetString()));
        Assert.All(batch.Records, r => Assert.Equal("audit/note", r.Type));

        var again = await server.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?wait=0.2");
        Assert.Equal(batch.Records.Select(r => r.Id), again!.Records.Select(r => r.Id));

        var next = await server.Http.GetFromJsonAsync<EgressBatch>($"/functions/egress/audit/notes?wait=0.2&after={batch.Records[^1].Id}");
        Assert.Empty(next!.Records);

        using var unknown = await server.Http.GetAsync("/functions/egress/audit/nothing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badCursor = await server.Http.GetAsync("/functions/egress/audit/notes?after=last");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    [Theory]
    [InlineData("max=1.5")]
    [InlineData("max=1e2")]
    [InlineData("max=0")]
    [InlineData("max=10001")]
    [InlineData("max=abc")]
    [InlineData("wait=-1")]
    public async Task Long_poll_max_is_a_whole_number_of_records_and_wait_a_number_of_seconds(string query)
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var log = "log-" + Guid.NewGuid().ToString("N");
        await NoteAsync(server, log, "a");
        await NoteAsync(server, log, "b");
        await server.Runtime.WhenIdleAsync();

        using var response = await server.Http.GetAsync($"/functions/egress/audit/notes?wait=0&{query}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("'max' is a whole number of records from 1 to 10,000", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_up_to_the_cursor_are_not_delivered_again_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("sf-http-restart-").FullName;
        try
        {
            long[] first;
            await using (var before = await BankServer.StartAsync(_ => { }, folder))
            {
                var log = "log-" + Guid.NewGuid().ToString("N");
                await NoteAsync(before, log, "a");
                await NoteAsync(before, log, "b");
                await before.Runtime.WhenIdleAsync();
                first = (await before.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?after=0&wait=10"))!.Records.Select(r => r.Id).ToArray();
                Assert.Equal(2, first.Length);

                // The server stops without a later request's cursor having acknowledged the two records.
            }

            long third;
            await using (var after = await BankServer.StartAsync(_ => { }, folder))
            {
                var covered = await after.Http.GetFromJsonAsync<EgressBatch>($"/functions/egress/audit/notes?after={first[1]}&wait=0.2");
                Assert.Empty(covered!.Records);

                await NoteAsync(after, "log-" + Guid.NewGuid().ToString("N"), "c");
                var next = await after.Http.GetFromJsonAsync<EgressBatch>($"/functions/egress/audit/notes?after={first[1]}&wait=10");
                third = Assert.Single(next!.Records).Id;
                Assert.True(third > first[1]);
            }

            // The records the cursor covered were acknowledged durably by the second server: a third one hands out
            // only the record handed out since, even to a cursor from before them.
            await using var again = await BankServer.StartAsync(_ => { }, folder);
            var rest = await again.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?after=0&wait=10");
            Assert.Equal([third], rest!.Records.Select(r => r.Id));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_webhook_egress_posts_each_record_with_an_idempotency_key_and_retries_until_accepted()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        await using var server = await BankServer.StartAsync(builder =>
            builder.Services.AddWebhookEgress(BankModule.Statements, receiver.Url, o => o.InitialBackoff = TimeSpan.FromMilliseconds(20)));
        var account = "acct-" + Guid.NewGuid().ToString("N");

        for (var i = 1; i <= 3; i++)
        {
            using var response = await server.Http.PostAsync($"/functions/bank/account/{account}/ask", JsonContent.Create(new Deposit(10), mediaType: new MediaTypeHeaderValue("application/vnd.bank.deposit+json")));
            response.EnsureSuccessStatusCode();
        }

        var delivered = await receiver.WaitForAcceptedAsync(3);
        Assert.Equal([10m, 20m, 30m], delivered.Select(d => JsonSerializer.Deserialize<Balance>(d.Body, JsonSerializerOptions.Web)!.Amount));
        Assert.All(delivered, d => Assert.Matches(@"^bank/statements/\d+$", d.Key));
        Assert.Equal(3, delivered.Select(d => d.Key).Distinct().Count());

        // The first record was refused twice, then accepted: three attempts under one key.
        Assert.Equal([delivered[0].Key, delivered[0].Key, delivered[0].Key], receiver.Attempts.Take(3));
    }

    [Fact]
    public async Task A_cursor_past_every_record_written_acknowledges_none_written_after_it()
    {
        await using var server = await BankServer.StartAsync(_ => { });
        var log = "log-" + Guid.NewGuid().ToString("N");
        await NoteAsync(server, log, "before");

        // A 202 says the message is accepted, not yet handled: wait until its record is written, then pass it.
        var written = await server.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?after=0&wait=10");
        Assert.Equal(["before"], written!.Records.Select(r => r.Value.GetProperty("text").GetString()));
        var made = await server.Http.GetFromJsonAsync<EgressBatch>($"/functions/egress/audit/notes?after={long.MaxValue}&wait=0");
        Assert.Empty(made!.Records);

        await NoteAsync(server, log, "after");
        var batch = await server.Http.GetFromJsonAsync<EgressBatch>("/functions/egress/audit/notes?after=0&wait=10");
        Assert.Equal(["after"], batch!.Records.Select(r => r.Value.GetProperty("text").GetString()));
    }

    private static async Task NoteAsync(BankServer server, string log, string text)
    {
        using var response = await server.Http.PostAsync($"/functions/audit/log/{log}", JsonContent.Create(new Note(text), mediaType: new MediaTypeHeaderValue("application/vnd.audit.note+json")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Reads <paramref name="count"/> server-sent events of the notes egress, then disconnects.</summary>
    private static async Task<List<(long Id, string Text)>> ReadEventsAsync(BankServer server, long? lastEventId, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/functions/egress/audit/notes");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(deadline.Token)}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token), Encoding.UTF8);
        var events = new List<(long, string)>();
        long eventId = 0;
        while (events.Count < count && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((eventId, JsonSerializer.Deserialize<Note>(line[6..], JsonSerializerOptions.Web)!.Text));
            }
        }

        return events;
    }

    /// <summary>A second local HTTP listener: the webhook's receiver. Refuses its first requests with 503.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Key, string Body)> _accepted = new();
        private readonly ConcurrentQueue<string> _attempts = new();
        private int _refusals;

        private Receiver(WebApplication app, int failFirst)
        {
            _app = app;
            _refusals = failFirst;
            app.MapPost("/hook", async (HttpContext http) =>
            {
                var key = http.Request.Headers["Idempotency-Key"].ToString();
                _attempts.Enqueue(key);
                if (Interlocked.Decrement(ref _refusals) >= 0)
                {
                    return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                }

                using var reader = new StreamReader(http.Request.Body);
                _accepted.Enqueue((key, await reader.ReadToEndAsync()));
                return Results.Ok();
            });
        }

        public Uri Url { get; private set; } = null!;

        public IEnumerable<string> Attempts => _attempts;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var receiver = new Receiver(Loopback.CreateBuilder().Build(), failFirst);
            await receiver._app.StartAsync();
            receiver.Url = new Uri(Loopback.AddressOf(receiver._app) + "/hook");
            return receiver;
        }

        public async Task<List<(string Key, string Body)>> WaitForAcceptedAsync(int count)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (_accepted.Count < count)
            {
                await Task.Delay(20, deadline.Token);
            }

            return _accepted.ToList();
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

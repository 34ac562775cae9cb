using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using StatefulFunctions.Runtime;
using Xunit.Abstractions;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// Random and hostile requests against the bank on a real Kestrel on 127.0.0.1, durable in LiteDB, with a checkpoint
/// after every commit: ids of every length up to past the limit and of every kind of character, random bytes and JSON,
/// random content types, methods, paths and headers, retries with idempotency keys, and bytes that are not HTTP at
/// all. Then the server must still answer, every deposit answered 202 must be applied exactly once, and every refusal
/// must be a 4xx with a problem body; the only 5xx are an accepted ask's 502 (no reply) and 504 (none in time).
/// </summary>
/// <remarks>
/// A fixed seed and a bounded count in CI. Each of the 8 concurrent workers draws from its own generator seeded from
/// it, but which worker sends which request depends on timing: a seed names the kind of run, not the exact sequence. For a longer run: <c>tests/fuzz-http.sh [requests] [seed]</c>, which sets
/// <c>STATEFULFUNCTIONS_FUZZ_REQUESTS</c> and <c>STATEFULFUNCTIONS_FUZZ_SEED</c>. The test's output says how many
/// requests it sent and what they got.
/// </remarks>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private const int Concurrency = 8;

    private static readonly string[] Methods = ["POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW"];

    private static readonly string[] ContentTypes =
    [
        "application/vnd.bank.deposit-quietly+json", "application/vnd.bank.deposit+json", "application/vnd.bank.get-balance+json",
        "application/vnd.bank.credit+json", "application/vnd.bank.open-account+json", "application/vnd.nope+json", "application/json",
        "application/x-memorypack", "text/plain", "application/vnd.+json", "application/vnd..+json", ";;;", "application/json; charset=utf-16", "",
    ];

    private static readonly string[] MessageTypes = ["bank/deposit-quietly", "bank/get-balance", "bank/credit", "bank/post-entry", "Bank.Nope", "", "a/b/c", "BANK/DEPOSIT-QUIETLY", " bank/deposit-quietly"];

    [Fact]
    public async Task Random_and_hostile_requests_never_stop_the_server_every_202_applies_once_and_every_refusal_is_a_4xx_problem()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("STATEFULFUNCTIONS_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : 1_500;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STATEFULFUNCTIONS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261202;
        await using var server = await BankServer.StartAsync(_ => { });
        server.Runtime.Faults = new StorageFaults { CheckpointInterval = TimeSpan.Zero };

        var expected = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var keyed = new List<(string Account, int Amount, string Key)>();
        var next = 0;
        var gate = new object();

        async Task WorkerAsync(int worker)
        {
            var random = new Random(seed + worker);
            while (true)
            {
                int number;
                lock (gate)
                {
                    if (next >= requests)
                    {
                        return;
                    }

                    number = next++;
                }

                var (request, deposit) = Make(random, number, keyed);
                using (request)
                {
                    var (status, problem) = await SendAsync(server, request);
                    lock (gate)
                    {
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        // Kestrel itself refuses a NUL in the path (%00) before the application sees the request: its
                        // own 400, without a body. Everything else that is refused is refused by the endpoints.
                        var kestrelRefuses = status == 400 && request.RequestUri!.OriginalString.Contains("%00", StringComparison.OrdinalIgnoreCase);
                        // An ask that was accepted and handled may get 502 (the handler did not reply) or 504 (no reply in
                        // time), with a problem body: those are answers, not refusals. No other 5xx is.
                        var askAnswer = status is 502 or 504 && problem && IsAsk(request);
                        if ((status >= 500 && !askAnswer) || (status >= 400 && !problem && request.Method != HttpMethod.Head && !kestrelRefuses))
                        {
                            failures.Add($"#{number} {request.Method} {Shorten(request.RequestUri!.OriginalString)} -> {status}{(problem ? "" : " without a problem body")}");
                        }

                        if (deposit is { } d)
                        {
                            var valid = AddressRules.ProblemWithId(d.Account) is null;
                            if (valid != (status == 202))
                            {
                                failures.Add($"#{number} deposit to an id of {Encoding.UTF8.GetByteCount(d.Account)} bytes ({(valid ? "valid" : "invalid")}) -> {status}");
                            }

                            if (status == 202 && d.Applies)
                            {
                                expected[d.Account] = expected.GetValueOrDefault(d.Account) + d.Amount;
                            }
                        }
                    }
                }

                if (number % 97 == 0)
                {
                    await SendGarbageAsync(server, random);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(WorkerAsync));

        // Still serving, every accepted deposit applied exactly once (the retries with the same key not again).
        using (var ready = await server.Http.GetAsync("/functions/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await server.Runtime.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(2));
        foreach (var (account, amount) in expected)
        {
            var balance = await server.Runtime.Client.AskAsync<Balance>(Account.At(account).Untyped, new GetBalance(), TimeSpan.FromMinutes(1));
            if (balance.Amount != amount)
            {
                failures.Add($"account of {Encoding.UTF8.GetByteCount(account)} bytes has {balance.Amount}, not {amount}");
            }
        }

        Assert.Null(server.Runtime.StorageFailure);
        Assert.Empty(server.Runtime.GetDeadLetters());
        output.WriteLine($"seed {seed}: {requests:N0} requests (and {requests / 97 + 1:N0} connections of bytes that are not HTTP), {expected.Count:N0} accounts; answers: {string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}"))}");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
    }

    private static bool IsAsk(HttpRequestMessage request) =>
        request.RequestUri!.OriginalString.Contains("/ask", StringComparison.Ordinal) || request.Headers.Contains("Prefer");

    private sealed record TrackedDeposit(string Account, decimal Amount, bool Applies);

    /// <summary>
    /// One request: mostly deposits, each to an account of its own (ids of every kind, with a prefix no other request
    /// makes: a digit), some with an idempotency key and some a retry of an earlier keyed one; else anything.
    /// </summary>
    private static (HttpRequestMessage Request, TrackedDeposit? Deposit) Make(Random random, int number, List<(string Account, int Amount, string Key)> keyed)
    {
        if (random.Next(3) > 0)
        {
            (string Account, int Amount, string? Key) deposit;
            var retry = false;
            lock (keyed)
            {
                if (keyed.Count > 0 && random.Next(5) == 0)
                {
                    deposit = keyed[random.Next(keyed.Count)];
                    retry = true;
                }
                else
                {
                    // One in eight near the limit (1,024 bytes), where LiteDB's key limit (1,021 with the type) is passed.
                    var account = random.Next(8) == 0 ? $"{number}-".PadRight(random.Next(1000, 1030), 'n') : $"{number}-{RandomId(random)}";
                    deposit = (account, random.Next(1, 1000), random.Next(3) == 0 ? $"key-{number}" : null);
                    if (deposit.Key is { } key)
                    {
                        keyed.Add((deposit.Account, deposit.Amount, key));
                    }
                }
            }

            var request = new HttpRequestMessage(HttpMethod.Post, "/functions/bank/account/" + Uri.EscapeDataString(deposit.Account))
            {
                Content = Body(Encoding.UTF8.GetBytes($$"""{ "amount": {{deposit.Amount}} }"""), "application/vnd.bank.deposit-quietly+json"),
            };

            // A retry of an earlier request with the same key is answered 202 again and applied once, the first time.
            if (deposit.Key is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", deposit.Key);
            }

            return (request, new TrackedDeposit(deposit.Account, deposit.Amount, Applies: !retry));
        }

        var method = new HttpMethod(Methods[random.Next(Methods.Length)]);
        var path = random.Next(8) switch
        {
            0 => "/functions/bank/account/" + Uri.EscapeDataString(RandomId(random)) + (random.Next(2) == 0 ? "/ask" : ""),
            1 => "/functions/ingress/transfers" + (random.Next(3) == 0 ? "/" + RandomText(random, 20) : ""),
            2 => "/functions/egress/bank/statements?wait=0&max=" + RandomNumber(random) + "&after=" + RandomNumber(random),
            3 => "/functions/health/" + (random.Next(2) == 0 ? "live" : "ready"),
            4 => "/functions/" + RandomPathText(random) + "/" + RandomPathText(random) + "/" + RandomPathText(random),
            5 => "/functions/bank/ledger/x",
            6 => "/functions/bank/account/" + RawPercent(random),
            _ => "/functions/" + RandomPathText(random),
        };
        var fuzzed = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get && method != HttpMethod.Head && random.Next(5) > 0)
        {
            fuzzed.Content = Body(RandomBody(random), ContentTypes[random.Next(ContentTypes.Length)]);
            if (random.Next(2) == 0)
            {
                fuzzed.Content.Headers.TryAddWithoutValidation("Message-Type", MessageTypes[random.Next(MessageTypes.Length)]);
            }
        }

        foreach (var _ in Enumerable.Range(0, random.Next(3)))
        {
            var (name, value) = random.Next(5) switch
            {
                0 => ("Prefer", "wait=" + RandomNumber(random)),
                1 => ("Idempotency-Key", RandomText(random, random.Next(0, 300))),
                2 => ("Last-Event-ID", RandomNumber(random)),
                3 => ("Accept", random.Next(2) == 0 ? "text/event-stream" : "*/*"),
                _ => ("X-" + RandomPathText(random), RandomText(random, 40)),
            };
            fuzzed.Headers.TryAddWithoutValidation(name, value);
        }

        if (path.Contains("/ask", StringComparison.Ordinal) || path.Contains("egress", StringComparison.Ordinal) || random.Next(3) == 0)
        {
            // Never wait long: a fuzzed ask that names a valid message would otherwise wait for its reply.
            fuzzed.RequestUri = new Uri(fuzzed.RequestUri!.OriginalString + (fuzzed.RequestUri.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timeout=0.5", UriKind.Relative);
        }

        return (fuzzed, null);
    }

    private static async Task<(int Status, bool Problem)> SendAsync(BankServer server, HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return ((int)response.StatusCode, false); // a stream that stays open: the status is the answer
        }

        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        var problem = false;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json" && body.Length > 0)
        {
            using var json = JsonDocument.Parse(body);
            problem = json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 };
        }

        return ((int)response.StatusCode, problem);
    }

    /// <summary>A connection that sends bytes which are not HTTP (or HTTP cut off), then goes away.</summary>
    private static async Task SendGarbageAsync(BankServer server, Random random)
    {
        var uri = server.Http.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var bytes = random.Next(2) == 0
            ? Encoding.ASCII.GetBytes($"POST /functions/bank/account/x HTTP/1.1\r\nHost: x\r\nContent-Length: {random.Next(1, 100_000)}\r\n\r\n{{\"amou")
            : RandomBytes(random, random.Next(1, 4096));
        await stream.WriteAsync(bytes);
        client.Client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
        {
            // Reset or closed by the server: what it does with garbage.
        }
    }

    /// <summary>An id of any length up to past the limit, of ASCII, letters of other scripts, emoji, '/', '%', spaces or control characters.</summary>
    private static string RandomId(Random random)
    {
        var length = random.Next(10) switch
        {
            0 => random.Next(0, 3),
            1 => random.Next(1000, 1100),
            2 => random.Next(300, 400),
            _ => random.Next(1, 40),
        };
        var controls = random.Next(6) == 0; // one id in six may hold control characters (refused)
        var text = new StringBuilder();
        while (text.Length < length)
        {
            text.Append(random.Next(controls ? 20 : 19) switch
            {
                0 => "€",
                1 => "\U0001F600",
                2 => "/",
                3 => "%",
                4 => " ",
                5 => "é",
                18 => ((char)random.Next(0, 32)).ToString(),
                _ => ((char)random.Next('a', 'z' + 1)).ToString(),
            });
        }

        return text.ToString();
    }

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)random.Next(32, 127)).ToArray());

    private static string RandomPathText(Random random) => Uri.EscapeDataString(RandomText(random, random.Next(1, 12)));

    private static string RawPercent(Random random) => random.Next(3) switch
    {
        0 => "q%FFq",
        1 => "%C3%28",
        _ => "a%2" + (char)random.Next('G', 'Z'),
    };

    private static string RandomNumber(Random random) => random.Next(8) switch
    {
        0 => "-1",
        1 => "1e-9",
        2 => "abc",
        3 => "1.5",
        4 => "99999999999999999999",
        5 => "NaN",
        _ => random.Next(0, 20).ToString(CultureInfo.InvariantCulture),
    };

    private static byte[] RandomBody(Random random) => random.Next(6) switch
    {
        0 => RandomBytes(random, random.Next(0, 2048)),
        1 => Encoding.UTF8.GetBytes("{ \"amount\": " + RandomNumber(random) + " }"),
        2 => Encoding.UTF8.GetBytes("{}"),
        3 => Encoding.UTF8.GetBytes("[" + new string('[', random.Next(0, 200)) + "]"),
        4 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{ \"from\": \"" + RandomText(random, 10) + "\", \"to\": \"b\", \"amount\": 1 }")],
        _ => Encoding.UTF8.GetBytes("{ \"amount\": 1, \"owner\": null, \"" + RandomText(random, 5) + "\": " + new string('9', random.Next(1, 400)) + " }"),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + $"… ({text.Length} characters)" : text;
}

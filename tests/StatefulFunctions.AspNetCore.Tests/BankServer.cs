using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>The bank application on a real Kestrel server on 127.0.0.1 (a free port), durable in a LiteDB file.</summary>
public sealed class BankServer : IAsyncLifetime, IAsyncDisposable
{
    public const long MaxBodyBytes = 4096;

    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly Action<StatefulFunctionsHttpOptions>? _http;
    private readonly Action<WebApplication>? _map;
    private WebApplication? _app;

    public BankServer()
        : this(configure: null, folder: null)
    {
    }

    private BankServer(Action<WebApplicationBuilder>? configure, string? folder, Action<StatefulFunctionsHttpOptions>? http = null, Action<WebApplication>? map = null)
    {
        _configure = configure;
        _http = http;
        _map = map;
        _ownsFolder = folder is null;
        _folder = folder ?? Directory.CreateTempSubdirectory("sf-http-").FullName;
    }

    public HttpClient Http { get; private set; } = null!;

    public StatefulFunctionsRuntime Runtime => _app!.Services.GetRequiredService<StatefulFunctionsRuntime>();

    /// <summary>
    /// A server of its own, with extra services (e.g. a webhook egress). With <paramref name="folder"/>, its LiteDB file
    /// is kept there and outlives the server, so that a second server can start on it (a restart). With
    /// <paramref name="map"/>, the application's own middleware and endpoints, before the runtime's.
    /// </summary>
    public static async Task<BankServer> StartAsync(Action<WebApplicationBuilder> configure, string? folder = null, Action<StatefulFunctionsHttpOptions>? http = null, Action<WebApplication>? map = null)
    {
        var server = new BankServer(configure, folder, http, map);
        await server.InitializeAsync();
        return server;
    }

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddOpenApi();
        builder.Services.AddStatefulFunctions(sf => sf.UseLiteDb(Path.Combine(_folder, "bank.db")).AddModule<BankModule>());
        _configure?.Invoke(builder);
        _app = builder.Build();
        _app.MapOpenApi();
        _map?.Invoke(_app);
        _app.MapStatefulFunctions("/functions", o =>
        {
            o.MaxBodyBytes = MaxBodyBytes;
            _http?.Invoke(o);
        });
        await _app.StartAsync();

        var address = Loopback.AddressOf(_app);
        // An unfinished response (an event stream) closes its connection when disposed, as a browser's EventSource
        // does, instead of being drained for reuse.
        Http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) };
    }

    /// <summary>The balance of an account, asked over HTTP.</summary>
    public async Task<decimal> BalanceAsync(string account)
    {
        using var content = JsonContent.Create(new GetBalance(), mediaType: new("application/vnd.bank.get-balance+json"));
        using var response = await Http.PostAsync($"/functions/bank/account/{account}/ask", content);
        response.EnsureSuccessStatusCode();
        var balance = await response.Content.ReadFromJsonAsync<Balance>();
        return balance!.Amount;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_ownsFolder)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}

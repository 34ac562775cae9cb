using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefulFunctions.Flink.Protocol;

namespace StatefulFunctions.Flink.Tests;

/// <summary>The test functions served by <c>MapStatefulFunctionsRemote</c> on a real Kestrel server on 127.0.0.1 (a free port).</summary>
public sealed class RemoteServer : IAsyncLifetime
{
    public const long MaxRequestBytes = 1024 * 1024;

    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.Services.AddStatefulFunctionsRemote(sf => sf.AddModule<TestModule>());
        _app = builder.Build();
        _app.MapStatefulFunctionsRemote("/statefun", remote =>
        {
            remote.MaxRequestBytes = MaxRequestBytes;
            remote.UseJson<OrderPlaced>().UseJson<Receipt>().UseJson<Script>().MapEgressToKafka(Shipper.Shipments, "shipments", s => s.Parcel);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>POSTs a body as StateFun does (octet-stream, unless told otherwise).</summary>
    public async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType = "application/octet-stream")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync("/statefun", content);
    }

    /// <summary>Sends a request that must succeed and parses the answer.</summary>
    public async Task<FromFunction> InvokeAsync(ToFunction request)
    {
        using var response = await PostAsync(request.ToByteArray());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/octet-stream", response.Content.Headers.GetValues("Content-Type").Single());
        return FromFunction.Parser.ParseFrom(body);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RideSharing;

/// <summary>What the two server modes (<c>--http</c>, <c>--flink</c>) share: the web host and its first line of output.</summary>
internal static class WebModes
{
    /// <summary>A web host for the mode's arguments, on <paramref name="defaultUrl"/> unless <c>--urls</c> says otherwise.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string modeSwitch, string defaultUrl)
    {
        var builder = WebApplication.CreateBuilder(args.Where(a => a != modeSwitch).ToArray());
        if (builder.Configuration["urls"] is null)
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    /// <summary>Starts the app, prints "{what} on {address}{path} (Ctrl+C to stop)", and serves until stopped.</summary>
    public static async Task<int> ServeAsync(WebApplication app, string what, string path)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"{what} on {address}{path} (Ctrl+C to stop)");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

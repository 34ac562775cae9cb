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
    /// <summary>
    /// A web host for the mode's arguments, on <paramref name="defaultUrl"/> unless <c>--urls</c> says otherwise, and
    /// on <paramref name="moreUrls"/> as well.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string modeSwitch, string defaultUrl, params string[] moreUrls)
    {
        var builder = WebApplication.CreateBuilder(args.Where(a => a != modeSwitch).ToArray());
        if (builder.Configuration["urls"] is null || moreUrls.Length > 0)
        {
            builder.WebHost.UseUrls([.. (builder.Configuration["urls"] ?? defaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries), .. moreUrls]);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Starts the app, prints "{what} on {address}{path} (Ctrl+C to stop)" for the first address that is not on
    /// <paramref name="otherPort"/>, and serves until stopped.
    /// </summary>
    public static async Task<int> ServeAsync(WebApplication app, string what, string path, int? otherPort = null)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => otherPort is null || new Uri(a).Port != otherPort);
        Console.WriteLine($"{what} on {address}{path} (Ctrl+C to stop)");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

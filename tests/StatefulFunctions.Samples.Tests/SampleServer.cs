using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StatefulFunctions.Samples.Tests;

/// <summary>A sample started as a server in a child process; disposing it kills the process.</summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private readonly Process _process;

    private SampleServer(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>What the first line of output says the server listens on (the first group of the pattern).</summary>
    public string Address { get; }

    /// <summary>
    /// Starts <c>dotnet {sample}.dll {args}</c> in <paramref name="workingDirectory"/> and reads its first line of output,
    /// which must name its address; fails the test with the process's errors when it does not.
    /// </summary>
    public static async Task<SampleServer> StartAsync(string sample, string workingDirectory, Regex listeningOn, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(SampleProcess.AssemblyOf(sample));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var banner = await process.StandardOutput.ReadLineAsync(cancellationToken);
        var match = listeningOn.Match(banner ?? "");
        if (!match.Success)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            Assert.Fail($"No address in the first line: '{banner}'\n{await errors}");
        }

        return new SampleServer(process, match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

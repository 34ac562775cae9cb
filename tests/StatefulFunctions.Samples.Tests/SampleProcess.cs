using System.Diagnostics;

namespace StatefulFunctions.Samples.Tests;

/// <summary>
/// Runs a sample as a user runs it: the sample project is referenced by the test project so that it is built and
/// copied beside the tests, and it is started here as a child process with <c>dotnet &lt;sample&gt;.dll</c>.
/// </summary>
internal static class SampleProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the sample until it exits (or kills it after two minutes, failing the test).</summary>
    /// <param name="sample">The sample's assembly name, e.g. <c>RideSharing</c>.</param>
    /// <param name="workingDirectory">Where it runs, and so where its <c>data/</c> goes; the test output folder when null.</param>
    /// <param name="args">Its command-line arguments.</param>
    public static async Task<SampleRun> RunAsync(string sample, string? workingDirectory = null, params string[] args)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, sample + ".dll");
        Assert.True(File.Exists(assembly), $"The sample was not built beside the tests: {assembly}");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{sample} did not exit within {Timeout}:\n{await output}\n{await errors}");
        }

        return new SampleRun(process.ExitCode, await output, await errors);
    }
}

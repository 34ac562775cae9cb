namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// An application on the generic host, in a child process, stopped with SIGTERM: it always stops cleanly, with exit
/// code 0 and no unhandled exception, whether or not its durable storage has failed before; and after a failure it
/// does not wait out the stop timeout for work that can no longer end.
/// </summary>
public sealed class StopOnSignalTests : IDisposable
{
    private const string Host = "StatefulFunctions.CrashHost.dll";

    /// <summary>A guard against hangs only.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("sf-stop-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SIGTERM_stops_the_application_cleanly_with_exit_code_0(bool storageFailedBefore)
    {
        using var child = ChildProcess.StartDotnet(Host, "--mode", "stop", "--db", Path.Combine(_folder, "app.db"), "--fail-storage", storageFailedBefore ? "true" : "false");
        if (storageFailedBefore)
        {
            var refused = await child.WaitForLineAsync("refused: ", HangGuard);
            Assert.NotNull(refused);
            Assert.Contains("The runtime's durable storage failed (IOException: injected: the disk is gone)", refused, StringComparison.Ordinal);
        }

        Assert.NotNull(await child.WaitForLineAsync("ready", HangGuard, exact: true));
        child.Terminate();

        var exitCode = await child.WaitForExitAsync(HangGuard);
        var output = string.Join('\n', child.Lines);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("stopped", child.Lines);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish within the stop timeout", output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not stop within", output, StringComparison.Ordinal);
        Assert.Equal(storageFailedBefore, output.Contains("Stopped after a durable storage failure", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

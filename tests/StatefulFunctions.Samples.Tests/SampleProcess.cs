using System.Diagnostics;

namespace StatefulFunctions.Samples.Tests;

/// <summary>
/// Runs a sample as a user runs it: the sample project is referenced by the test project so that it is built, and
/// it is started here from its own build output as a child process with <c>dotnet &lt;sample&gt;.dll</c>.
/// </summary>
internal static class SampleProcess
{
    /// <summary>
    /// The sample's assembly in its own output folder (<c>samples/**/bin/{configuration}/net10.0</c>): the samples
    /// differ in their shared frameworks (ASP.NET Core or not), so they do not all run from the tests' folder.
    /// </summary>
    public static string AssemblyOf(string sample)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "StatefulFunctions.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, "The repository root was not found above " + AppContext.BaseDirectory);
        var project = Directory.GetFiles(Path.Combine(root.FullName, "samples"), sample + ".csproj", SearchOption.AllDirectories).Single();
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, framework, sample + ".dll");
        Assert.True(File.Exists(assembly), $"The sample was not built: {assembly}");
        return assembly;
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the sample until it exits (or kills it after two minutes, failing the test).</summary>
    /// <param name="sample">The sample's assembly name, e.g. <c>RideSharing</c>.</param>
    /// <param name="workingDirectory">Where it runs, and so where its <c>data/</c> goes; the test output folder when null.</param>
    /// <param name="args">Its command-line arguments.</param>
    public static async Task<SampleRun> RunAsync(string sample, string? workingDirectory = null, params string[] args)
    {
        var assembly = AssemblyOf(sample);

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

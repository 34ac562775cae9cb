using System.Diagnostics;
using System.Text;

namespace StatefulFunctions.Package.Tests;

/// <summary>
/// The packages as a user gets them: StatefulFunctions, StatefulFunctions.Testing and StatefulFunctions.Templates
/// packed once, with a version of their own, into a local folder feed.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    private static readonly string[] Projects =
    [
        Path.Combine("src", "Runtime", "StatefulFunctions.csproj"),
        Path.Combine("src", "Testing", "StatefulFunctions.Testing.csproj"),
        Path.Combine("templates", "StatefulFunctions.Templates.csproj"),
    ];

    /// <summary>A folder deleted with the fixture; tests make their own subfolders in it.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("sf-package-").FullName;

    /// <summary>The local feed holding the packed packages.</summary>
    public string Feed => Path.Combine(Folder, "feed");

    /// <summary>A version of its own, so that a package cached by an earlier run is never used instead.</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        foreach (var project in Projects)
        {
            var pack = await DotNet.RunAsync(["pack", Path.Combine(DotNet.RepositoryRoot, project), "-c", "Release", "-o", Feed, $"-p:Version={Version}"], DotNet.RepositoryRoot);
            Assert.True(pack.ExitCode == 0, pack.Output);
        }
    }

    /// <summary>A new empty folder whose nuget.config adds the local feed to the machine's package sources.</summary>
    public string NewProjectFolder(string name)
    {
        var folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return folder;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The tests share one packed feed and run one at a time (they all build with the SDK).</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}

/// <summary>Runs the dotnet CLI as a user would.</summary>
internal static class DotNet
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and returns its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        // No build servers left running after the test, and no first-run banner in the output.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var output = new StringBuilder().Append(await stdout).Append(await stderr);
        return (process.ExitCode, $"$ dotnet {string.Join(' ', arguments)}\n{output}");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StatefulFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder holding StatefulFunctions.sln) was not found above " + AppContext.BaseDirectory);
    }
}

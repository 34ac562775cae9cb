using System.Diagnostics;
using System.Text;

namespace StatefulFunctions.Package.Tests;

/// <summary>
/// What a user sees: the runtime package is packed, a fresh project outside the repository references it from a
/// local folder feed, and its build reports our diagnostics for mistakes and is clean for valid code that runs.
/// </summary>
public sealed class PackedPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-package-").FullName;

    [Fact]
    public async Task A_fresh_project_using_the_packed_package_gets_diagnostics_for_mistakes_and_runs_valid_code()
    {
        // A version of its own, so a package cached by an earlier run is never used instead.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = Path.Combine(_folder, "feed");
        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepositoryRoot(), "src", "Runtime", "StatefulFunctions.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}", "-nodeReuse:false"], RepositoryRoot());
        Assert.True(pack.ExitCode == 0, pack.Output);

        var app = Path.Combine(_folder, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StatefulFunctions" Version="{version}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(app, "Program.cs"), Mistakes);
        var broken = await RunAsync("dotnet", ["build", "-nodeReuse:false"], app);
        Assert.NotEqual(0, broken.ExitCode);
        foreach (var id in new[] { "SFN0001", "SFN0002", "SFN0003" })
        {
            Assert.True(broken.Output.Contains(id, StringComparison.Ordinal), $"{id} is missing from the build output:\n{broken.Output}");
        }

        File.WriteAllText(Path.Combine(app, "Program.cs"), ValidApplication);
        var valid = await RunAsync("dotnet", ["build", "-nodeReuse:false"], app);
        Assert.True(valid.ExitCode == 0, valid.Output);
        Assert.Contains("0 Warning(s)", valid.Output, StringComparison.Ordinal);

        var run = await RunAsync("dotnet", ["run", "--no-build"], app);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Hello Ada, greeting number 2", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Mistakes = """
        using MemoryPack;
        using StatefulFunctions;

        [MemoryPackable] public partial record Greet(string Name);

        [StatefulFunction("example/greeter")]
        public class NotPartial : IHandle<Greet>
        {
            public void Handle(IContext context, Greet message) { }
        }

        [StatefulFunction("no-slash")]
        public partial class BadName : IHandle<Greet>
        {
            public void Handle(IContext context, Greet message) { }
        }

        [StatefulFunction("example/ttl")]
        public partial class BadTtl : IHandle<Greet>
        {
            [Persisted(ExpireAfterWrite = "half an hour")] private int _count;

            public void Handle(IContext context, Greet message) => _count++;
        }
        """;

    private const string ValidApplication = """
        using MemoryPack;
        using StatefulFunctions;

        await using var runtime = new StatefulFunctionsRuntime([new GreeterModule()]);
        await runtime.StartAsync();
        await runtime.Client.SendAsync(Greeter.At("ada"), new Greet("Ada"));
        Console.WriteLine(await runtime.Client.AskAsync<string>((Address)Greeter.At("ada"), new Greet("Ada"), TimeSpan.FromSeconds(30)));

        [MemoryPackable] public partial record Greet(string Name);

        [StatefulFunction("example/greeter")]
        public partial class Greeter : IHandle<Greet>
        {
            [Persisted] private int _seen;

            public void Handle(IContext context, Greet message)
            {
                _seen++;
                context.Reply($"Hello {message.Name}, greeting number {_seen}");
            }
        }

        public sealed class GreeterModule : IStatefulFunctionModule
        {
            public void Configure(IModuleBuilder module) { }
        }
        """;

    private static string RepositoryRoot()
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, $"$ {file} {string.Join(' ', arguments)}\n{output}");
    }
}

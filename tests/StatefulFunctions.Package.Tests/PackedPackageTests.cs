namespace StatefulFunctions.Package.Tests;

/// <summary>
/// What a user sees: a fresh project outside the repository references the packed runtime package from a local
/// folder feed; its build reports our diagnostics for mistakes and is clean for valid code that runs.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackedPackageTests(PackedFeed feed)
{
    [Fact]
    public async Task A_fresh_project_using_the_packed_package_gets_diagnostics_for_mistakes_and_runs_valid_code()
    {
        var app = feed.NewProjectFolder("app");
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StatefulFunctions" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(app, "Program.cs"), Mistakes);
        var broken = await DotNet.RunAsync(["build"], app);
        Assert.NotEqual(0, broken.ExitCode);
        foreach (var id in new[] { "SFN0001", "SFN0002", "SFN0003" })
        {
            Assert.True(broken.Output.Contains(id, StringComparison.Ordinal), $"{id} is missing from the build output:\n{broken.Output}");
        }

        File.WriteAllText(Path.Combine(app, "Program.cs"), ValidApplication);
        var valid = await DotNet.RunAsync(["build"], app);
        Assert.True(valid.ExitCode == 0, valid.Output);
        Assert.Contains("0 Warning(s)", valid.Output, StringComparison.Ordinal);

        var run = await DotNet.RunAsync(["run", "--no-build"], app);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Hello Ada, greeting number 2", run.Output, StringComparison.Ordinal);

        // The package's buildTransitive targets pass a StatefulFunctions.Contracts.txt beside the project to the
        // analyzers without any project change: a baseline listing a state the code no longer has is reported.
        File.WriteAllText(Path.Combine(app, "StatefulFunctions.Contracts.txt"), """
            function example/greeter
              state seen: int
              state last_name: string
              message Greet
            """);
        var contract = await DotNet.RunAsync(["build", "--no-incremental"], app);
        Assert.True(contract.ExitCode == 0, contract.Output);
        Assert.True(contract.Output.Contains("SFN0015", StringComparison.Ordinal) && contract.Output.Contains("last_name", StringComparison.Ordinal), contract.Output);
    }

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
}

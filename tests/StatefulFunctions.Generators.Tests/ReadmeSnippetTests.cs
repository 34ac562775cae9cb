using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>The README's "A first function" compiles with the generator and without a warning, so it never rots.</summary>
public sealed class ReadmeSnippetTests
{
    private const string ProgramMarker = "// Program.cs";

    [Fact]
    public void The_first_function_in_the_README_compiles_with_its_generated_code()
    {
        var snippet = FirstFunctionSnippet();
        var marker = snippet.IndexOf(ProgramMarker, StringComparison.Ordinal);
        Assert.True(marker > 0, $"The snippet has no '{ProgramMarker}' line separating the declarations from the program:\n{snippet}");

        // The declarations compile as they are; the program lines run where a host builder and a client exist.
        // Usings: what a project with ImplicitUsings has, plus the two namespaces the README's users import.
        var declarations = $"""
            global using System;
            global using System.Collections.Generic;
            global using System.Linq;
            global using System.Threading;
            global using System.Threading.Tasks;
            using MemoryPack;
            using StatefulFunctions;

            {snippet[..marker]}
            """;
        var program = $$"""
            using Microsoft.Extensions.Hosting;
            using StatefulFunctions;

            public static class ReadmeProgram
            {
                public static async Task<string> RunAsync(IHostApplicationBuilder builder, IStatefulFunctionsClient client)
                {
                    {{snippet[marker..]}}
                    return reply;
                }
            }
            """;

        var result = GeneratorHarness.RunAndCompile(declarations, program);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Greeter.StatefulFunction.g.cs");
    }

    private static string FirstFunctionSnippet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme.IndexOf("## A first function", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no '## A first function' section");
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "README.md")) && File.Exists(Path.Combine(directory.FullName, "StatefulFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}

using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>
/// The request-reply snippets of <c>docs/concepts.md</c> (asks from outside, keyed asks, deferred replies, asks between
/// functions, refusing a message, logging) compile with the generator and without a warning, so what the page shows is what users get.
/// </summary>
public sealed class DocsSnippetTests
{
    [Fact]
    public void The_request_reply_snippets_of_the_concepts_page_compile_with_their_generated_code()
    {
        string[] sections = ["### Request and reply", "### Retrying from outside: idempotency keys", "### Replies that outlive a message", "### Asking between functions", "### Refusing a message", "### Logging from a function"];
        var blocks = sections.SelectMany(section =>
        {
            var found = Blocks("docs/concepts.md", section);
            Assert.True(found.Count > 0, $"The section '{section}' has lost its snippets.");
            return found;
        }).ToList();

        // Blocks that declare types compile as they are; the others are statements, run where a client exists.
        var declarations = blocks.Where(Declares).ToList();
        var statements = blocks.Where(block => !Declares(block)).ToList();
        Assert.NotEmpty(declarations);
        Assert.NotEmpty(statements);

        var types = $"""
            global using System;
            global using System.Collections.Generic;
            global using System.Threading.Tasks;
            using MemoryPack;
            using Microsoft.Extensions.Logging;
            using StatefulFunctions;

            {string.Join("\n\n", declarations)}
            """;
        var program = $$"""
            using StatefulFunctions;

            public static class DocsProgram
            {
                public static async Task RunAsync(IStatefulFunctionsClient client, Address address)
                {
                    {{string.Join("\n", statements.Select((block, i) => $"{{\n{block}\n}}"))}}
                }
            }
            """;

        GeneratorHarness.RunAndCompile(types, program);
    }

    private static bool Declares(string block) => block.Contains("partial class ", StringComparison.Ordinal) || block.Contains("partial record ", StringComparison.Ordinal);

    /// <summary>The C# blocks of a section (up to the next heading of its level or higher).</summary>
    private static List<string> Blocks(string page, string heading)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), page)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{page} has no '{heading}' section");
        var level = heading.TakeWhile(c => c == '#').Count();
        var end = text.Length;
        for (var next = text.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal); next >= 0; next = text.IndexOf("\n#", next + 1, StringComparison.Ordinal))
        {
            var nextLevel = text.Skip(next + 1).TakeWhile(c => c == '#').Count();
            if (nextLevel <= level && text[next + 1 + nextLevel] == ' ')
            {
                end = next;
                break;
            }
        }

        var blocks = new List<string>();
        for (var open = text.IndexOf("```csharp\n", start, StringComparison.Ordinal); open >= 0 && open < end; open = text.IndexOf("```csharp\n", open + 1, StringComparison.Ordinal))
        {
            var body = open + "```csharp\n".Length;
            blocks.Add(text[body..text.IndexOf("\n```", body, StringComparison.Ordinal)]);
        }

        return blocks;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StatefulFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}

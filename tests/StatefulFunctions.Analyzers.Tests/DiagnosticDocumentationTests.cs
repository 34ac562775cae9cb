using System.Reflection;
using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Analyzers.Tests;

/// <summary>Every descriptor has a help link, a docs page and a release-tracking entry (STYLE 9–10).</summary>
public sealed class DiagnosticDocumentationTests
{
    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllDescriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void Descriptors_are_found() => Assert.NotEmpty(AllDescriptors());

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_has_help_link_page_and_release_entry(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);

        var root = RepositoryRoot();
        Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");

        var releases = Path.Combine(root, "src", "Analyzers");
        var tracked = File.ReadAllText(Path.Combine(releases, "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(releases, "AnalyzerReleases.Shipped.md"));
        Assert.Contains(id + " ", tracked, StringComparison.Ordinal);
    }

    private static DiagnosticDescriptor[] AllDescriptors() =>
        typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "StatefulFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("StatefulFunctions.sln not found above the test assembly.");
    }
}

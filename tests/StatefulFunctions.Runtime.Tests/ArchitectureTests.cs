using System.Text.RegularExpressions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// The shape of the runtime's source, checked on every run: adapters reach the runtime through one seam, the
/// namespaces form no cycle, no file grows past what a reader takes in, the storage mode is never asked about, and
/// the generator and the analyzers share one copy of their rules.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const int MaxRuntimeFileLines = 400;
    private const int MaxFacadeLines = 300;

    [Fact]
    public void Adapters_reach_the_runtime_only_through_its_services_seam()
    {
        var offences = new List<string>();
        foreach (var adapter in new[] { "AspNetCore", "Flink", "Testing" })
        {
            foreach (var (file, number, line) in Lines(Path.Combine(RepositoryRoot, "src", adapter)))
            {
                if (RuntimeInternal().IsMatch(line))
                {
                    offences.Add($"{file}:{number}: {line.Trim()}");
                }
            }
        }

        Assert.True(offences.Count == 0, "Adapters use the runtime's internals instead of runtime.Services:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_runtime_namespaces_form_no_cycle_besides_their_common_root()
    {
        // Edges from using directives and qualified names (the longest declared namespace a name starts with); every
        // child namespace sees the root one anyway.
        var files = SourceFiles(Path.Combine(RepositoryRoot, "src", "Runtime")).Select(File.ReadAllText).ToList();
        var declared = files.Select(text => Namespace().Match(text).Groups[1].Value).Where(n => n.Length > 0).ToHashSet();
        var edges = declared.ToDictionary(n => n, _ => new HashSet<string>());
        foreach (var text in files)
        {
            var own = Namespace().Match(text).Groups[1].Value;
            foreach (Match name in QualifiedName().Matches(text))
            {
                var other = declared.Where(n => name.Value == n || name.Value.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length);
                if (other is not null && other != own && other != "StatefulFunctions" && own != "StatefulFunctions")
                {
                    edges[own].Add(other);
                }
            }
        }

        var cycles = edges.SelectMany(e => e.Value.Where(to => edges.GetValueOrDefault(to)?.Contains(e.Key) == true).Select(to => $"{e.Key} <-> {to}")).ToList();
        Assert.True(cycles.Count == 0, "Namespace cycles: " + string.Join(", ", cycles));
        Assert.Contains("StatefulFunctions.Runtime", edges.Keys); // the scan saw the runtime's sources
    }

    [Fact]
    public void No_runtime_file_is_longer_than_a_reader_takes_in_and_the_facade_is_wiring_only()
    {
        var runtime = Path.Combine(RepositoryRoot, "src", "Runtime");
        var lengths = SourceFiles(runtime).Select(f => (File: Path.GetRelativePath(RepositoryRoot, f), Lines: File.ReadAllLines(f).Length)).ToList();
        Assert.True(lengths.Count > 50, "The scan found too few runtime files: " + lengths.Count);

        var tooLong = lengths.Where(f => f.Lines > MaxRuntimeFileLines).Select(f => $"{f.File} ({f.Lines} lines)").ToList();
        Assert.True(tooLong.Count == 0, $"Runtime files over {MaxRuntimeFileLines} lines: " + string.Join(", ", tooLong));

        var facade = lengths.Single(f => Path.GetFileName(f.File) == "StatefulFunctionsRuntime.cs");
        Assert.True(facade.Lines <= MaxFacadeLines, $"StatefulFunctionsRuntime.cs has {facade.Lines} lines; it is wiring and lifecycle only.");
    }

    [Fact]
    public void Nothing_in_the_runtime_asks_which_storage_mode_it_runs_in()
    {
        var branches = SourceFiles(Path.Combine(RepositoryRoot, "src", "Runtime"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(RepositoryRoot, f), Number: i + 1, Line: line)))
            .Where(l => ModeBranch().IsMatch(l.Line))
            .Select(l => $"{l.File}:{l.Number}: {l.Line.Trim()}")
            .ToList();
        Assert.True(branches.Count == 0, "Storage-mode branches (use the commit pipeline instead):\n" + string.Join("\n", branches));
    }

    [Fact]
    public void The_generator_and_the_analyzers_share_their_rules_and_look_types_up_in_one_place()
    {
        // The build bans GetTypeByMetadataName (RS0030) outside WellKnownSymbols; this pins that the ban is wired.
        var lookups = new[] { "Analyzers", "Generators" }
            .SelectMany(project => Lines(Path.Combine(RepositoryRoot, "src", project)))
            .Where(l => l.Line.Contains("GetTypeByMetadataName(", StringComparison.Ordinal) && Path.GetFileName(l.File) != "WellKnownSymbols.cs")
            .Select(l => $"{l.File}:{l.Number}: {l.Line.Trim()}")
            .ToList();
        Assert.True(lookups.Count == 0, "Type lookups outside WellKnownSymbols:\n" + string.Join("\n", lookups));

        string[] shared = ["StateNames.cs", "FunctionTypeNames.cs", "KnownTypeNames.cs", "PersistedMembers.cs"];
        foreach (var project in new[] { "src/Analyzers/StatefulFunctions.Analyzers.csproj", "src/Generators/StatefulFunctions.Generators.csproj" })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot, project));
            var missing = shared.Where(file => !text.Contains(@"..\Shared\" + file, StringComparison.Ordinal)).ToList();
            Assert.True(missing.Count == 0, $"{project} does not compile the shared rules {string.Join(", ", missing)}");
            Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", text, StringComparison.Ordinal);
            Assert.Contains("BannedSymbols.txt", text, StringComparison.Ordinal);
        }

        var banned = File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Shared", "BannedSymbols.txt"));
        Assert.Contains("M:Microsoft.CodeAnalysis.Compilation.GetTypeByMetadataName(System.String)", banned, StringComparison.Ordinal);
    }

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<(string File, int Number, string Line)> Lines(string folder) =>
        SourceFiles(folder).SelectMany(f => File.ReadLines(f).Select((line, i) => (Path.GetRelativePath(RepositoryRoot, f), i + 1, line)));

    private static string FindRepositoryRoot()
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

    /// <summary>A member of the runtime that adapters must reach through <c>runtime.Services</c>.</summary>
    [GeneratedRegex(@"\b[Rr]untime\.(Model|Egress|Delayed|Delivering|Commit|Store|Codec|AcknowledgeEgressAsync|ReadStateAsync|Options|Logger|Idempotency|Enqueue|Release)\b")]
    private static partial Regex RuntimeInternal();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"(?<![\w.])StatefulFunctions(?:\.\w+)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"Committer\s+is\s+(not\s+)?null|Committer\?\.|\bas\s+LiteDbStateStore\b|\bis\s+LiteDbStateStore\b|\bDurable\s+is\s+(not\s+)?null")]
    private static partial Regex ModeBranch();
}

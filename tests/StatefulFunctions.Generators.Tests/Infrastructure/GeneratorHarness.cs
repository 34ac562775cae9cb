using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StatefulFunctions.Generators;
using Xunit;

namespace StatefulFunctions.Generators.Tests.Infrastructure;

/// <summary>Builds test compilations against the real runtime and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    public const string AssemblyName = "Rides.App";

    // Documentation mode on so malformed XML docs in generated code are reported too.
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IContext).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackableAttribute).Assembly.Location),

        // What a handler logs with (context.Logger).
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),

        // What an application's Program.cs uses to add stateful functions to its host.
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Hosting.IHostApplicationBuilder).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999)
        .WithSpecificDiagnosticOptions(
        [
            // Test inputs are not documented; generated public members must still carry well-formed docs.
            new KeyValuePair<string, ReportDiagnostic>("CS1591", ReportDiagnostic.Suppress),

            // MemoryPack.Core targets net8.0: unification with the net10.0 references is expected, and the
            // .NET SDK passes /nowarn:1701,1702 to every build for the same reason.
            new KeyValuePair<string, ReportDiagnostic>("CS1701", ReportDiagnostic.Suppress),
            new KeyValuePair<string, ReportDiagnostic>("CS1702", ReportDiagnostic.Suppress),
        ]);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            AssemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{i}.cs")),
            References,
            CompilationOptions);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new StatefulFunctionGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator over <paramref name="sources"/>, then asserts the generator did not throw or report
    /// anything and that input plus output compiles with zero errors and zero warnings.
    /// </summary>
    public static GeneratorRunResult RunAndCompile(params string[] sources)
    {
        var (result, output) = RunCore(sources);

        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, "Input plus generated code has diagnostics:\n" + string.Join("\n", problems) +
            "\n\nGenerated:\n" + string.Join("\n", result.GeneratedSources.Select(s => $"--- {s.HintName}\n{s.SourceText}")));
        return result;
    }

    /// <summary>Runs the generator and returns the compilation of input plus output, for tests of what compiles.</summary>
    public static Compilation RunAndGetCompilation(params string[] sources) => RunCore(sources).Output;

    /// <summary>Runs the generator without requiring the result to compile (for invalid input).</summary>
    public static GeneratorRunResult Run(params string[] sources) => RunCore(sources).Result;

    private static (GeneratorRunResult Result, Compilation Output) RunCore(string[] sources)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            CreateCompilation(sources), out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();

        // The generator stays silent on bad input (analyzers report it) and never throws.
        Assert.Null(result.Exception);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(result.Diagnostics);
        return (result, output);
    }

    public static string Source(this GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
}

using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>
/// The generator runs on every keystroke in the IDE: an edit that does not touch what it reads must be
/// served from cache, and nothing cached may hold a Roslyn object.
/// </summary>
public sealed class StatefulFunctionGeneratorIncrementalTests
{
    private const string Function = """
        using System.Threading.Tasks;
        using StatefulFunctions;

        namespace Rides;

        [StatefulFunction("rides/driver")]
        public partial class Driver : IHandle<string>, IHandleAsync<int>
        {
            [Persisted] private int _count;

            public void Handle(IContext context, string message) => _count++;

            public ValueTask HandleAsync(IContext context, int message) => default;
        }
        """;

    private const string Unrelated = """
        namespace Rides;

        public class Calculator
        {
            public int Add(int a, int b) => a + b;
        }
        """;

    private static readonly string[] TrackingNameValues = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void UnrelatedSyntaxTreeIsServedFromCache()
    {
        var compilation = GeneratorHarness.CreateCompilation(Function);
        var edited = compilation.Clone().AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Rides; public class Extra { }", GeneratorHarness.ParseOptions));

        var (first, second) = RunTwice(compilation, edited);

        AssertAllCached(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void UnrelatedMethodBodyEditIsServedFromCache()
    {
        var compilation = GeneratorHarness.CreateCompilation(Function, Unrelated);
        var edited = ReplaceSource(compilation, Unrelated, Unrelated.Replace("a + b", "b + a", StringComparison.Ordinal));

        var (first, second) = RunTwice(compilation, edited);

        AssertAllCached(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void HandlerBodyEditDoesNotChangeTheOutput()
    {
        var compilation = GeneratorHarness.CreateCompilation(Function);
        var edited = ReplaceSource(compilation, Function, Function.Replace("_count++", "_count += 2", StringComparison.Ordinal));

        var (first, second) = RunTwice(compilation, edited);

        // The function's own file changed, so it is parsed again, but to an equal spec: nothing is re-emitted.
        AssertAllCached(second);
        AssertSameSources(first, second);
    }

    [Fact]
    public void AddingPersistedMemberRegenerates()
    {
        var compilation = GeneratorHarness.CreateCompilation(Function);
        var edited = ReplaceSource(
            compilation,
            Function,
            Function.Replace("[Persisted] private int _count;", "[Persisted] private int _count;\n    [Persisted] private string? _name;", StringComparison.Ordinal));

        var (first, second) = RunTwice(compilation, edited);

        var functions = second.TrackedSteps[TrackingNames.Functions].SelectMany(step => step.Outputs);
        Assert.Contains(functions, output => output.Reason == IncrementalStepRunReason.Modified);
        var before = first.Source("Rides.Driver.StatefulFunction.g.cs");
        var after = second.Source("Rides.Driver.StatefulFunction.g.cs");
        Assert.DoesNotContain("\"name\"", before, StringComparison.Ordinal);
        Assert.Contains("writer.Write(PersistedState.Name, _name);", after, StringComparison.Ordinal);
        Assert.Contains("PersistedMember<string?> Name { get; } = new(\"name\", \"string\");", after, StringComparison.Ordinal);
        Assert.Contains("new(\"name\", \"_name\", typeof(string)", second.Source("StatefulFunctions.FunctionRegistry.g.cs"), StringComparison.Ordinal);
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Compilation compilation, Compilation edited)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult().Results.Single();

        // Every named step ran (a renamed or dropped step would otherwise go unchecked), and none holds Roslyn objects.
        foreach (var result in new[] { first, second })
        {
            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            Assert.All(TrackingNameValues, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"Step {name} was not tracked."));
            foreach (var name in TrackingNameValues)
            {
                var forbidden = result.TrackedSteps[name]
                    .SelectMany(step => step.Outputs)
                    .SelectMany((output, i) => StepOutputWalker.FindForbidden(output.Value, $"{name}[{i}]"))
                    .ToList();
                Assert.True(forbidden.Count == 0, "Step outputs hold Roslyn objects:\n" + string.Join("\n", forbidden));
            }
        }

        return (first, second);
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var name in TrackingNameValues)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(step => step.Outputs))
            {
                Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {name} output was {output.Reason}: {output.Value}");
            }
        }

        foreach (var output in result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason);
        }
    }

    private static void AssertSameSources(GeneratorRunResult first, GeneratorRunResult second) =>
        Assert.Equal(
            first.GeneratedSources.Select(source => (source.HintName, source.SourceText.ToString())),
            second.GeneratedSources.Select(source => (source.HintName, source.SourceText.ToString())));

    private static Compilation ReplaceSource(Compilation compilation, string oldSource, string newSource)
    {
        var old = compilation.SyntaxTrees.Single(tree => tree.ToString() == oldSource);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newSource)));
    }
}

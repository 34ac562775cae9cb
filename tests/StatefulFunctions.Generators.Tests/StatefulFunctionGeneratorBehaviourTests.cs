using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>Targeted checks on parts of the output, and on input the generator must skip silently.</summary>
public sealed class StatefulFunctionGeneratorBehaviourTests
{
    private const string DriverHint = "Rides.Driver.StatefulFunction.g.cs";

    [Fact]
    public void DerivedMessageCaseComesBeforeItsBase()
    {
        // Alphabetical order would be wrong for every pair here: the compiler rejects a subsumed case.
        var result = GeneratorHarness.RunAndCompile("""
            using StatefulFunctions;

            namespace Rides;

            public record Animal;
            public record Dog : Animal;
            public record Puppy : Dog;
            public interface IEvent;
            public record Alarm : IEvent;

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<Animal>, IHandle<Dog>, IHandle<Puppy>, IHandle<IEvent>, IHandle<Alarm>, IHandle<object>
            {
                public void Handle(IContext context, Animal message) { }
                public void Handle(IContext context, Dog message) { }
                public void Handle(IContext context, Puppy message) { }
                public void Handle(IContext context, IEvent message) { }
                public void Handle(IContext context, Alarm message) { }
                public void Handle(IContext context, object message) { }
            }
            """);

        var cases = result.Source(DriverHint)
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("case ", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(
            [
                "case global::Rides.Alarm m:",
                "case global::Rides.IEvent m:",
                "case global::Rides.Puppy m:",
                "case global::Rides.Dog m:",
                "case global::Rides.Animal m:",
                "case object m:",
            ],
            cases);
    }

    [Theory]
    [InlineData("driver")]
    [InlineData("rides/driver/extra")]
    [InlineData("/driver")]
    [InlineData("rides/")]
    [InlineData("")]
    [InlineData(" /driver")]
    [InlineData("rides/ ")]
    public void InvalidTypeNameIsSkippedSilently(string typeName)
    {
        var result = GeneratorHarness.Run($$"""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("{{typeName}}")]
            public partial class Driver : IHandle<string>
            {
                public void Handle(IContext context, string message) { }
            }
            """);

        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void NonPartialClassIsSkippedSilently()
    {
        var result = GeneratorHarness.Run("""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/driver")]
            public class Driver
            {
            }
            """);

        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("public Driver(string name) { }")]
    [InlineData("private Driver() { }")]
    public void A_class_the_registration_cannot_create_gets_nothing_generated_and_the_others_compile(string constructor)
    {
        // SFN0006 reports it; generated code would only add CS7036 or CS0122 in the registry on top.
        var compilation = GeneratorHarness.RunAndGetCompilation($$"""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<string>
            {
                {{constructor}}

                public void Handle(IContext context, string message) { }
            }

            [StatefulFunction("rides/rider")]
            public partial class Rider : IHandle<string>
            {
                public void Handle(IContext context, string message) { }
            }
            """);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var generated = compilation.SyntaxTrees.Select(tree => Path.GetFileName(tree.FilePath)).Where(name => name.EndsWith(".g.cs", StringComparison.Ordinal)).ToList();
        Assert.Contains("Rides.Rider.StatefulFunction.g.cs", generated);
        Assert.DoesNotContain(DriverHint, generated);
        Assert.DoesNotContain("Driver", string.Concat(compilation.SyntaxTrees.Where(tree => tree.FilePath.EndsWith("FunctionRegistry.g.cs", StringComparison.Ordinal)).Select(tree => tree.ToString())));
    }

    [Theory]
    [InlineData("ExpireAfterWrite", "soon")]
    [InlineData("ExpireAfterWrite", "00:00:00")]
    [InlineData("ExpireAfterWrite", "-00:05:00")]
    [InlineData("ExpireAfterCall", "1 hour")]
    [InlineData("ExpireAfterCall", "")]
    public void InvalidTimeToLiveIsSkippedSilently(string property, string value)
    {
        var result = GeneratorHarness.RunAndCompile($$"""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<string>
            {
                [Persisted({{property}} = "{{value}}")] private string? _last;

                public void Handle(IContext context, string message) => _last = message;
            }
            """);

        Assert.Contains(
            "new(\"last\", \"_last\", typeof(string), global::StatefulFunctions.Generation.ExpirationMode.None, global::System.TimeSpan.Zero) { Fingerprint = \"string\" },",
            result.Source("StatefulFunctions.FunctionRegistry.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void PersistedStateDescriptorsCarryStructuralFingerprintsAndCompileForInternalTypes()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using MemoryPack;
            using StatefulFunctions;

            namespace Rides;

            public enum Tier : uint { Basic }

            [MemoryPackable]
            public partial record Node(int Value, Node? Next);

            [MemoryPackable]
            public partial class Ordered
            {
                [MemoryPackOrder(1)] public int B { get; set; }
                [MemoryPackOrder(0)] public string A { get; set; } = "";
                [MemoryPackIgnore] public int Skipped { get; set; }
            }

            [StatefulFunction("rides/shapes")]
            public partial class Shapes : IHandle<string>
            {
                [Persisted] private Tier _tier;
                [Persisted] private Node? _node;
                [Persisted] private Ordered _ordered = new();
                [Persisted] private Secret? _secret;
                [Persisted] private int[]? _persisted_state;

                public void Handle(IContext context, string message) { }

                [MemoryPackable]
                internal partial record Secret(long Code);
            }
            """);

        var source = result.Source("Rides.Shapes.StatefulFunction.g.cs");
        Assert.Contains("new(\"tier\", \"enum Tier:uint\")", source, StringComparison.Ordinal);
        Assert.Contains("new(\"node\", \"Node{Value:int,Next:Node}\")", source, StringComparison.Ordinal);
        Assert.Contains("new(\"ordered\", \"Ordered{A:string,B:int}\")", source, StringComparison.Ordinal);
        Assert.Contains("internal static global::StatefulFunctions.Generation.PersistedMember<global::Rides.Shapes.Secret?> Secret { get; } = new(\"secret\", \"Shapes.Secret{Code:long}\")", source, StringComparison.Ordinal);
        Assert.Contains("PersistedState2 { get; } = new(\"persisted_state\", \"int[]\")", source, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionDerivedFromAFunctionCompiles()
    {
        // The derived class's TypeName and At hide the base's, which needs 'new' to compile without a warning.
        var result = GeneratorHarness.RunAndCompile("""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<string>
            {
                public void Handle(IContext context, string message) { }
            }

            [StatefulFunction("rides/premium-driver")]
            public partial class PremiumDriver : Driver, IHandle<int>
            {
                [Persisted] private int writer;

                public void Handle(IContext context, int message) => writer = message;
            }
            """);

        Assert.Contains("public new static global::StatefulFunctions.TypeName TypeName", result.Source("Rides.PremiumDriver.StatefulFunction.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionDerivedFromAnAbstractFunctionCompiles()
    {
        // The abstract base gets no generated members, so nothing is hidden and 'new' would warn (CS0109).
        var result = GeneratorHarness.RunAndCompile("""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/base")]
            public abstract partial class DriverBase : IHandle<string>
            {
                public void Handle(IContext context, string message) { }
            }

            [StatefulFunction("rides/driver")]
            public partial class Driver : DriverBase
            {
            }
            """);

        Assert.Equal(["Rides.Driver.StatefulFunction.g.cs", "StatefulFunctions.FunctionRegistry.g.cs"], result.GeneratedSources.Select(s => s.HintName));
        Assert.Contains("case string m:", result.Source(DriverHint), StringComparison.Ordinal);
    }

    [Fact]
    public void AssemblyWithoutFunctionsGetsNoRegistry()
    {
        var result = GeneratorHarness.RunAndCompile("""
            namespace Rides;

            public class NotAFunction
            {
            }
            """);

        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("_lastSeen", "last_seen")]
    [InlineData("Count", "count")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("__status", "status")]
    [InlineData("retries3Left", "retries3_left")]
    [InlineData("userID", "user_id")]
    [InlineData("already_snake", "already_snake")]
    public void StateNameIsSnakeCaseWithoutLeadingUnderscores(string memberName, string stateName) =>
        Assert.Equal(stateName, StateNames.ToStateName(memberName));

    [Theory]
    [InlineData("Rides.App", "StatefulFunctions.Generated.Rides.App")]
    [InlineData("My-App.2nd", "StatefulFunctions.Generated.My_App._2nd")]
    [InlineData("app.class", "StatefulFunctions.Generated.app.@class")]
    [InlineData(null, "StatefulFunctions.Generated._")]
    public void RegistryNamespaceIsMadeOfIdentifiers(string? assemblyName, string expected) =>
        Assert.Equal(expected, Naming.RegistryNamespace(assemblyName));
}

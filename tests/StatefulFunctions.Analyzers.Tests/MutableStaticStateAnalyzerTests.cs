using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.MutableStaticStateAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class MutableStaticStateAnalyzerTests
{
    [Fact]
    public Task SFN0009_mutable_static_fields() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            private static int {|SFN0009:_total|};
            private static readonly List<string> {|SFN0009:Seen|} = new();
            private static readonly Dictionary<string, int> {|SFN0009:Counts|} = new();
            private static readonly HashSet<int> {|SFN0009:Ids|} = new();
            private static readonly int[] {|SFN0009:Sizes|} = [1, 2];

            public int Use() => _total + Seen.Count + Counts.Count + Ids.Count + Sizes.Length;
        }
        """);

    [Fact]
    public Task SFN0009_static_properties_that_keep_state() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            public static int {|#0:Total|} { get; set; }
            internal static List<string> {|#1:Seen|} { get; } = new();

            public int Use() => Total + Seen.Count;
        }
        """,
        [],
        Expect(0, "Total", "has a setter"),
        Expect(1, "Seen", "holds a mutable List"));

    /// <summary>The <c>field</c> keyword (C# 14; a preview feature for the Roslyn the analyzers are built with).</summary>
    [Fact]
    public Task SFN0009_static_property_over_field_with_a_setter()
    {
        var test = new CSharpCodeFixTest<MutableStaticStateAnalyzer, EmptyCodeFixProvider, DefaultVerifier>
        {
            TestCode = Verifier<MutableStaticStateAnalyzer, EmptyCodeFixProvider>.Usings +
                """
                [StatefulFunction("shop/cart")]
                public sealed partial class Cart
                {
                    private static string {|#0:Last|} { get; set => field = value.Trim(); } = "";
                    private static string Prefix { get => field ??= "cart"; }

                    public int Use() => Last.Length + Prefix.Length;
                }
                """,
        };
        TestReferences.Apply(test.TestState, out var referenceAssemblies);
        test.ReferenceAssemblies = referenceAssemblies;
        test.SolutionTransforms.Add((solution, projectId) =>
            solution.WithProjectParseOptions(projectId, new CSharpParseOptions(LanguageVersion.Preview)));
        test.ExpectedDiagnostics.Add(Expect(0, "Last", "has a setter"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SFN0009_static_properties_without_state_of_their_own_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Collections.Immutable;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            private static readonly ImmutableArray<string> Skus = ["a", "b"];

            public static int SkuCount => Skus.Length;
            public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(3);
            public static IReadOnlyList<string> Names { get; } = ImmutableArray.Create("a");
            public int Instance { get; set; }

            public int Use() => SkuCount + Timeout.Seconds + Names.Count + Instance;
        }
        """);

    [Fact]
    public Task SFN0009_immutable_statics_and_other_classes_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Collections.Immutable;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            private const int Max = 10;
            private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
            private static readonly string Prefix = "cart";
            private static readonly IReadOnlyList<string> Names = ImmutableArray.Create("a");
            private int _instance;

            public int Use() => Max + Timeout.Seconds + Prefix.Length + Names.Count + _instance++;
        }

        public static class NotAFunction
        {
            public static int Counter;
            public static readonly List<string> Items = new();
        }
        """);

    private static DiagnosticResult Expect(int location, string name, string problem) =>
        new DiagnosticResult(DiagnosticDescriptors.MutableStaticState).WithLocation(location).WithArguments("property", name, problem);
}

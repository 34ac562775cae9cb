using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.MutableStaticStateAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

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
}

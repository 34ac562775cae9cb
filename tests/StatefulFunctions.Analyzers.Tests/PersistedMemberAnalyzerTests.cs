using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PersistedMemberAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class PersistedMemberAnalyzerTests
{
    [Fact]
    public Task SFN0008_members_the_runtime_cannot_assign() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted]
            private static int {|SFN0008:_total|};

            [Persisted]
            public static int {|SFN0008:Shared|} { get; set; }

            [Persisted]
            private readonly int {|SFN0008:_fixed|};

            [Persisted]
            public int {|SFN0008:Computed|} => _fixed + 1;

            [Persisted]
            public int {|SFN0008:GetOnly|} { get; }

            [Persisted]
            public int {|SFN0008:Initialized|} { get; init; }
        }
        """);

    [Fact]
    public Task SFN0008_assignable_members_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted]
            private int _count;

            [Persisted]
            public int Total { get; set; }

            [Persisted(Name = "seen")]
            public int Seen { get; private set; }

            private static readonly int NotPersisted = 1;

            public int Sum => _count + NotPersisted;
        }
        """);
}

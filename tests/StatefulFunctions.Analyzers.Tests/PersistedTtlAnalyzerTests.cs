using Microsoft.CodeAnalysis.Testing;
using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PersistedTtlAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class PersistedTtlAnalyzerTests
{
    [Fact]
    public Task SFN0003_invalid_ttl_strings() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted({|SFN0003:ExpireAfterWrite = "soon"|})]
            public int Count { get; set; }

            [Persisted({|SFN0003:ExpireAfterCall = "-00:05:00"|})]
            private int _calls;

            [Persisted({|SFN0003:ExpireAfterCall = "00:00:00"|})]
            public int Zero { get; set; }
        }
        """);

    [Fact]
    public Task SFN0003_both_ttls_on_one_member() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted(ExpireAfterWrite = "00:10:00", ExpireAfterCall = "00:05:00")]
            public int {|SFN0003:Count|} { get; set; }
        }
        """);

    [Fact]
    public Task SFN0003_valid_ttls_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted(ExpireAfterWrite = "00:30:00")]
            public int Count { get; set; }

            [Persisted(Name = "calls", ExpireAfterCall = "1.00:00:00")]
            public int Calls { get; set; }

            [Persisted]
            public int Plain { get; set; }
        }
        """);
}

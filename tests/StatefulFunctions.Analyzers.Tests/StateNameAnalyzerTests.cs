using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.StateNameAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class StateNameAnalyzerTests
{
    [Fact]
    public Task SFN0017_invalid_and_duplicate_state_names() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("rides/driver")]
        public sealed partial class Driver
        {
            [Persisted(Name = {|SFN0017:"Last-Seen"|})] private int _lastSeen;
            [Persisted(Name = {|SFN0017:"9lives"|})] private int _lives;
            [Persisted] private int _rides;
            [Persisted(Name = "rides")] private int {|SFN0017:_total|};
            [Persisted] public int {|SFN0017:Rides|} { get; set; }
        }
        """);

    [Fact]
    public Task SFN0017_valid_unique_names_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("rides/driver")]
        public sealed partial class Driver
        {
            [Persisted(Name = "last_seen")] private int _seen;
            [Persisted] private int _rides;
            [Persisted] public int HTTPStatus { get; set; }
            private int _notPersisted;
            private int Rides => _rides + _notPersisted;
        }
        """);
}

using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PersistedSerializableAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class MessageSerializableAnalyzerTests
{
    [Fact]
    public Task SFN0018_a_handled_message_type_that_is_not_serializable() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Plain(string Id);

        [MemoryPack.MemoryPackable]
        public sealed partial record Packable(string Id);

        [StatefulFunction("rides/ride")]
        public sealed partial class {|SFN0018:Ride|} : IHandle<Plain>, IHandleAsync<Packable>, IHandle<string>, IHandle<int>
        {
            public void Handle(IContext context, Plain message) { }
            public ValueTask HandleAsync(IContext context, Packable message) => default;
            public void Handle(IContext context, string message) { }
            public void Handle(IContext context, int message) { }
        }
        """);

    [Fact]
    public Task SFN0018_serializable_message_types_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [MemoryPack.MemoryPackable]
        public sealed partial record Packable(string Id);

        public enum Kind { A, B }

        [StatefulFunction("rides/ride")]
        public sealed partial class Ride : IHandle<Packable>, IHandle<Kind>, IHandle<System.Collections.Generic.List<string>>
        {
            public void Handle(IContext context, Packable message) { }
            public void Handle(IContext context, Kind message) { }
            public void Handle(IContext context, System.Collections.Generic.List<string> message) { }
        }
        """);
}

using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.ContextEscapeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class ContextEscapeAnalyzerTests
{
    [Fact]
    public Task SFN0013_context_stored_or_captured() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Start;
        public sealed record Stop;

        [StatefulFunction("jobs/job")]
        public sealed partial class Job : IHandle<Start>, IHandleAsync<Stop>
        {
            private IContext? _context;
            private Action? _later;

            public IContext? Saved { get; set; }

            public void Handle(IContext context, Start message)
            {
                _context = {|SFN0013:context|};
                Saved = {|SFN0013:context|};
                _later = () => {|SFN0013:context|}.Reply("late");
                _later = delegate { {|SFN0013:context|}.Reply("late"); };
            }

            public async ValueTask HandleAsync(IContext context, Stop message)
            {
                await Task.Run(() => {|SFN0013:context|}.Reply("done"));
            }
        }
        """);

    [Fact]
    public Task SFN0013_direct_use_and_synchronous_lambdas_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Linq;

        public sealed record Start(string[] Items);
        public sealed record Stop;

        [StatefulFunction("jobs/job")]
        public sealed partial class Job : IHandle<Start>, IHandleAsync<Stop>
        {
            private DateTimeOffset _seen;

            public void Handle(IContext context, Start message)
            {
                var local = context;
                _seen = context.Now;
                var count = message.Items.Count(i => context.Now > DateTimeOffset.MinValue);
                context.Reply(count + local.Self.Id);
            }

            public async ValueTask HandleAsync(IContext context, Stop message)
            {
                await Task.Yield();
                context.Reply("done");
            }

            public void Helper(IContext context, Action<IContext> use)
            {
                _seen = context.Now;
                use(context);
            }
        }
        """);
}

using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.BlockingCallAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class BlockingCallAnalyzerTests
{
    [Fact]
    public Task SFN0005_blocking_calls_in_handlers() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Ping;
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>, IHandleAsync<Pong>
        {
            public void Handle(IContext context, Ping message)
            {
                {|SFN0005:Thread.Sleep(10)|};
                var task = Task.FromResult(1);
                _ = {|SFN0005:task.Result|};
                {|SFN0005:task.Wait()|};
                {|SFN0005:Task.WaitAll(task)|};
            }

            public ValueTask HandleAsync(IContext context, Pong message)
            {
                var pending = new ValueTask<int>(1);
                _ = {|SFN0005:pending.Result|};
                return default;
            }
        }
        """);

    [Fact]
    public Task SFN0005_awaits_and_non_handlers_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Pong>
        {
            public async ValueTask HandleAsync(IContext context, Pong message)
            {
                _ = await Task.FromResult(1);
                await Task.Delay(1);
            }

            public static void Helper() => Thread.Sleep(1);
        }

        public sealed class NotAFunction
        {
            public void Handle() => Thread.Sleep(1);
        }
        """);
}

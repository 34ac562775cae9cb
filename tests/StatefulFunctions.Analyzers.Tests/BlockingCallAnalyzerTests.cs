using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.BlockingCallAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

using Microsoft.CodeAnalysis.Testing;

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
                _ = {|SFN0005:task.GetAwaiter().GetResult()|};
                _ = {|SFN0005:task.ConfigureAwait(false).GetAwaiter().GetResult()|};
                {|SFN0005:Task.CompletedTask.GetAwaiter().GetResult()|};
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
                var later = Task.Delay(1);
                _ = Task.Run(async () => await Task.Delay(1));
                await Task.Yield();
                var awaiter = Task.CompletedTask.GetAwaiter();
                _ = awaiter.IsCompleted;
            }

            public static void Helper() => Thread.Sleep(1);

            public static async Task HelperAsync() => await Task.Delay(1);
        }

        public sealed class NotAFunction
        {
            public void Handle() => Thread.Sleep(1);
        }
        """);

    [Fact]
    public Task SFN0005_a_sleep_or_an_awaited_delay_points_to_a_delayed_message() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Ping;
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>, IHandleAsync<Pong>
        {
            public void Handle(IContext context, Ping message) => {|#0:Thread.Sleep(1000)|};

            public async ValueTask HandleAsync(IContext context, Pong message)
            {
                await {|#1:Task.Delay(1000)|};
                await {|#2:Task.Delay(TimeSpan.FromSeconds(1))|}.ConfigureAwait(false);
            }
        }
        """,
        [],
        Expect(0, "Thread.Sleep", "while it waits, and an awaited Task.Delay would hold it just the same (a shard handles one message at a time); to act later, schedule a delayed message with context.SendAfter(delay, context.Self, message)"),
        Expect(1, "Task.Delay", "while it waits (a shard handles one message at a time, also across an await); to act later, schedule a delayed message with context.SendAfter(delay, context.Self, message)"),
        Expect(2, "Task.Delay", "while it waits (a shard handles one message at a time, also across an await); to act later, schedule a delayed message with context.SendAfter(delay, context.Self, message)"));

    [Fact]
    public Task SFN0005_blocking_messages_name_the_call() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>
        {
            public void Handle(IContext context, Ping message)
            {
                var task = Task.FromResult(1);
                _ = {|#0:task.Result|};
                _ = {|#1:task.GetAwaiter().GetResult()|};
            }
        }
        """,
        [],
        Expect(0, "Task.Result", "by blocking its dispatcher thread; implement IHandleAsync<T> and await instead"),
        Expect(1, "GetAwaiter().GetResult()", "by blocking its dispatcher thread; implement IHandleAsync<T> and await instead"));

    private static DiagnosticResult Expect(int location, string member, string why) =>
        new DiagnosticResult(DiagnosticDescriptors.BlockingCallInHandler).WithLocation(location).WithArguments(member, why);
}

using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.BlockingCallAnalyzer,
    StatefulFunctions.Analyzers.MakeHandlerAsyncCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class BlockingCallCodeFixTests
{
    [Fact]
    public Task SFN0005_fix_makes_a_sync_handler_async() => Verify.VerifyCodeFixAsync(
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>
        {
            public void Handle(IContext context, Ping message)
            {
                var task = Task.FromResult(1);
                var value = {|SFN0005:task.Result|} + 1;
                {|SFN0005:Thread.Sleep(value)|};
                if (value > 1)
                {
                    return;
                }

                _ = {|SFN0005:task.Result|}.ToString();
            }
        }
        """,
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Ping>
        {
            public async ValueTask HandleAsync(IContext context, Ping message)
            {
                var task = Task.FromResult(1);
                var value = await task + 1;
                {|SFN0005:Thread.Sleep(value)|};
                if (value > 1)
                {
                    return;
                }

                _ = (await task).ToString();
            }
        }
        """);

    [Fact]
    public Task SFN0005_fix_awaits_in_an_async_handler() => Verify.VerifyCodeFixAsync(
        """
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Pong>
        {
            public async ValueTask HandleAsync(IContext context, Pong message)
            {
                await Task.Yield();
                var first = Task.Delay(1);
                var second = Task.Delay(2);
                {|SFN0005:first.Wait()|};
                {|SFN0005:Task.WaitAll(first, second)|};
            }
        }
        """,
        """
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Pong>
        {
            public async ValueTask HandleAsync(IContext context, Pong message)
            {
                await Task.Yield();
                var first = Task.Delay(1);
                var second = Task.Delay(2);
                await first;
                await Task.WhenAll(first, second);
            }
        }
        """);

    [Fact]
    public Task SFN0005_fix_awaits_the_task_of_GetAwaiter_GetResult() => Verify.VerifyCodeFixAsync(
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>
        {
            public void Handle(IContext context, Ping message)
            {
                var task = Task.FromResult(1);
                var value = {|SFN0005:task.GetAwaiter().GetResult()|} + 1;
                {|SFN0005:task.ConfigureAwait(false).GetAwaiter().GetResult()|};
                context.Reply({|SFN0005:task.GetAwaiter().GetResult()|}.ToString());
            }
        }
        """,
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Ping>
        {
            public async ValueTask HandleAsync(IContext context, Ping message)
            {
                var task = Task.FromResult(1);
                var value = await task + 1;
                await task.ConfigureAwait(false);
                context.Reply((await task).ToString());
            }
        }
        """);

    /// <summary>An awaited Task.Delay would hold the shard just as the sleep does: no fix that only looks like one.</summary>
    [Fact]
    public Task SFN0005_no_fix_turns_a_sleep_into_an_awaited_delay() => Verify.VerifyNoCodeFixAsync(
        """
        public sealed record Ping;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandle<Ping>
        {
            public void Handle(IContext context, Ping message)
            {
                {|SFN0005:Thread.Sleep(1000)|};
                context.Reply("late");
            }
        }
        """);

    [Fact]
    public Task SFN0005_no_fix_outside_an_async_or_implicit_sync_handler() => Verify.VerifyNoCodeFixAsync(
        """
        public sealed record Ping;
        public sealed record Pong;

        [StatefulFunction("net/pinger")]
        public sealed partial class Pinger : IHandleAsync<Pong>, IHandle<Ping>
        {
            public ValueTask HandleAsync(IContext context, Pong message)
            {
                var pending = new ValueTask<int>(1);
                _ = {|SFN0005:pending.Result|};
                return default;
            }

            void IHandle<Ping>.Handle(IContext context, Ping message) => {|SFN0005:Thread.Sleep(1)|};
        }

        [StatefulFunction("net/both")]
        public sealed partial class Both : IHandle<Ping>, IHandleAsync<Ping>
        {
            public void Handle(IContext context, Ping message) => {|SFN0005:Thread.Sleep(1)|};

            public ValueTask HandleAsync(IContext context, Ping message) => default;
        }
        """);
}

using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.ContextEscapeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

using Microsoft.CodeAnalysis.Testing;

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
    public Task SFN0013_context_captured_by_work_on_another_thread_in_a_synchronous_handler() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;

        public sealed record Start(List<string> Items);

        [StatefulFunction("jobs/job")]
        public sealed partial class Job : IHandle<Start>
        {
            public void Handle(IContext context, Start message)
            {
                _ = Task.Run(() => {|#0:context|}.Reply("done"));
                Task.Run(() => message.Items.ForEach(i => {|#1:context|}.Reply(i)));
                Task.Factory.StartNew(() => {|#2:context|}.Reply("done"));
                Task.CompletedTask.ContinueWith(_ => {|#3:context|}.Reply("done"));
                ThreadPool.QueueUserWorkItem(_ => {|#4:context|}.Reply("done"));
                new Thread(() => {|#5:context|}.Reply("done")).Start();
            }
        }
        """,
        [],
        OnAnotherThread(0, "Task.Run"),
        OnAnotherThread(1, "Task.Run"),
        OnAnotherThread(2, "TaskFactory.StartNew"),
        OnAnotherThread(3, "Task.ContinueWith"),
        OnAnotherThread(4, "ThreadPool.QueueUserWorkItem"),
        OnAnotherThread(5, "new Thread"));

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
                Array.ForEach(message.Items, i => context.Reply(i));
                Runner.Run(() => context.Reply("inline"));
                _ = Task.FromResult(count).Result;
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

        public static class Runner
        {
            public static void Run(Action action) => action();
        }
        """);

    private static DiagnosticResult OnAnotherThread(int location, string starter) =>
        new DiagnosticResult(DiagnosticDescriptors.ContextEscapesHandler)
            .WithLocation(location)
            .WithArguments("context", $"is captured by a lambda given to {starter}, which runs it on another thread, possibly after the handler has returned");
}

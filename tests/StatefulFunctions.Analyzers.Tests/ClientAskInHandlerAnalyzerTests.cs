using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.ClientAskInHandlerAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class ClientAskInHandlerAnalyzerTests
{
    [Fact]
    public Task SFN0021_the_clients_asks_inside_handlers() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record GetBalance : IAsk<decimal>;
        public sealed record Transfer(string From);
        public sealed record Audit(string From);

        [StatefulFunction("bank/transfer")]
        public sealed partial class Transfers(IStatefulFunctionsClient client) : IHandleAsync<Transfer>, IHandle<Audit>
        {
            public async ValueTask HandleAsync(IContext context, Transfer message)
            {
                var account = new Address("bank/account", message.From);
                _ = await {|SFN0021:client.AskAsync(account, new GetBalance())|};
                _ = await {|SFN0021:client.AskAsync<decimal>(account, new GetBalance(), TimeSpan.FromSeconds(1))|};
                _ = await {|SFN0021:client.AskAsync<decimal>(account, new GetBalance(), TimeSpan.FromSeconds(1), "key")|};
            }

            public void Handle(IContext context, Audit message)
            {
                Func<Task<decimal>> later = () => {|SFN0021:client.AskAsync(new Address("bank/account", message.From), new GetBalance())|};
                _ = later;
            }
        }
        """);

    [Fact]
    public Task SFN0021_asks_outside_handlers_and_asks_between_functions_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record GetBalance : IAsk<decimal>;
        public sealed record Transfer(string From);

        [StatefulFunction("bank/transfer")]
        public sealed partial class Transfers : IHandle<Transfer>, IHandle<Reply<decimal>>
        {
            public void Handle(IContext context, Transfer message) =>
                context.Ask(new Address("bank/account", message.From), new GetBalance(), correlation: message.From);

            public void Handle(IContext context, Reply<decimal> message) { }
        }

        public static class Teller
        {
            public static Task<decimal> BalanceAsync(IStatefulFunctionsClient client, string id) =>
                client.AskAsync(new Address("bank/account", id), new GetBalance());
        }
        """);
}

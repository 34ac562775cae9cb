using Microsoft.CodeAnalysis;
using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>
/// A typed ask is typed by what the function answers and compiles only for a message it handles (DESIGN 1.1):
/// <c>client.AskAsync(Account.At("ada"), new GetBalance())</c> is a <c>Task&lt;decimal&gt;</c>, with no cast.
/// </summary>
public sealed class TypedAskTests
{
    private const string Functions = """
        using MemoryPack;
        using StatefulFunctions;

        namespace Bank;

        [MemoryPackable] public partial record GetBalance : IAsk<decimal>;
        [MemoryPackable] public partial record GetOwner;
        [MemoryPackable] public partial record Close : IAsk<string>;
        [MemoryPackable] public partial record Unrelated : IAsk<int>;

        [StatefulFunction("bank/account")]
        public partial class Account : IHandle<GetBalance, decimal>, IHandle<GetOwner, string>, IHandle<Close>
        {
            public decimal Handle(IContext context, GetBalance message) => 0m;
            public string Handle(IContext context, GetOwner message) => "ada";
            public void Handle(IContext context, Close message) => context.Reply("closed");
        }
        """;

    [Theory]
    [InlineData("decimal balance = await client.AskAsync(Account.At(\"ada\"), new GetBalance());")]
    [InlineData("System.Threading.Tasks.Task<decimal> balance = client.AskAsync(Account.At(\"ada\"), new GetBalance(), System.TimeSpan.FromSeconds(5)); await balance;")]
    [InlineData("decimal balance = await client.AskAsync(Account.At(\"ada\"), new GetBalance(), idempotencyKey: \"k1\");")]
    [InlineData("string owner = await client.AskAsync(Account.At(\"ada\"), new GetOwner());")]
    [InlineData("string closed = await client.AskAsync(Account.At(\"ada\"), new Close());")]
    [InlineData("decimal balance = await client.AskAsync((Address)Account.At(\"ada\"), new GetBalance());")]
    [InlineData("decimal balance = await client.AskAsync<decimal>((Address)Account.At(\"ada\"), new GetBalance(), System.TimeSpan.FromSeconds(5));")]
    public void Asking_a_message_the_function_answers_compiles_with_the_reply_type(string statement)
    {
        var output = GeneratorHarness.RunAndGetCompilation(Functions, Client(statement));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("await client.AskAsync(Account.At(\"ada\"), new Unrelated());")]
    [InlineData("string balance = await client.AskAsync(Account.At(\"ada\"), new GetBalance());")]
    [InlineData("await client.AskAsync(Account.At(\"ada\"), \"not a message it handles\");")]
    public void Asking_what_the_function_does_not_answer_or_with_another_reply_type_does_not_compile(string statement)
    {
        var output = GeneratorHarness.RunAndGetCompilation(Functions, Client(statement));
        Assert.NotEmpty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static string Client(string statement) => $$"""
        using StatefulFunctions;

        namespace Bank;

        public static class Caller
        {
            public static async System.Threading.Tasks.Task RunAsync(IStatefulFunctionsClient client)
            {
                {{statement}}
            }
        }
        """;
}

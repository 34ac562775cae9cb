using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PublicMessageAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

using Microsoft.CodeAnalysis.Testing;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class PublicMessageAnalyzerTests
{
    [Fact]
    public Task SFN0019_a_public_message_without_a_pinned_name() => Verify.VerifyAnalyzerAsync(
        """
        namespace Bank.Contracts
        {
            [{|#0:PublicMessage|}] public sealed record DepositMoney(decimal Amount);
            public sealed partial class Outer { [{|#1:PublicMessage|}] public sealed record Nested; }
        }
        """,
        [],
        new DiagnosticResult(DiagnosticDescriptors.PublicMessageWithoutName).WithLocation(0).WithArguments("DepositMoney", "Bank.Contracts.DepositMoney", "contracts/deposit-money"),
        new DiagnosticResult(DiagnosticDescriptors.PublicMessageWithoutName).WithLocation(1).WithArguments("Nested", "Bank.Contracts.Outer.Nested", "contracts/nested"));

    [Fact]
    public Task SFN0019_named_public_messages_and_internal_messages_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [PublicMessage, MessageType("bank/deposit")] public sealed record Deposit(decimal Amount);
        [MessageType("bank/credit")] public sealed record Credit(decimal Amount);
        public sealed record Internal(int Value);
        """);
}

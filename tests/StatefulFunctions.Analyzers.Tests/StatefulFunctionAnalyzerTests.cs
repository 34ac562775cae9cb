using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.StatefulFunctionAnalyzer,
    StatefulFunctions.Analyzers.MakePartialCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class StatefulFunctionAnalyzerTests
{
    [Fact]
    public Task SFN0001_non_partial_class_is_fixed() => Verify.VerifyCodeFixAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed class {|SFN0001:Cart|}
        {
        }
        """,
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }
        """);

    [Fact]
    public Task SFN0001_fix_all_makes_every_class_partial() => Verify.VerifyCodeFixAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed class {|SFN0001:Cart|}
        {
        }

        [StatefulFunction("shop/order")]
        class {|SFN0001:Order|}
        {
        }
        """,
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }

        [StatefulFunction("shop/order")]
        partial class Order
        {
        }
        """);

    [Fact]
    public Task SFN0001_partial_class_and_plain_class_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }

        public sealed class NotAFunction
        {
        }
        """);

    [Theory]
    [InlineData("shop")]
    [InlineData("/cart")]
    [InlineData("shop/")]
    [InlineData("a/b/c")]
    [InlineData("")]
    [InlineData(" /cart")]
    [InlineData("shop/ ")]
    public Task SFN0002_invalid_type_name(string name) => Verify.VerifyAnalyzerAsync(
        $$"""
        [StatefulFunction({|SFN0002:"{{name}}"|})]
        public sealed partial class Cart
        {
        }
        """);

    [Fact]
    public Task SFN0004_same_message_handled_twice() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class {|SFN0004:Cart|} : IHandle<AddItem>, IHandleAsync<AddItem>
        {
            public void Handle(IContext context, AddItem message) { }
            public ValueTask HandleAsync(IContext context, AddItem message) => default;
        }
        """);

    [Fact]
    public Task SFN0004_distinct_messages_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);
        public sealed record Checkout;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>, IHandleAsync<Checkout>
        {
            public void Handle(IContext context, AddItem message) { }
            public ValueTask HandleAsync(IContext context, Checkout message) => default;
        }
        """);

    [Fact]
    public Task SFN0004_message_handled_with_and_without_a_reply() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record GetBalance;

        [StatefulFunction("bank/account")]
        public sealed partial class {|SFN0004:Account|} : IHandle<GetBalance>, IHandle<GetBalance, decimal>
        {
            public void Handle(IContext context, GetBalance message) { }
            decimal IHandle<GetBalance, decimal>.Handle(IContext context, GetBalance message) => 0m;
        }
        """);

    [Fact]
    public Task SFN0004_answering_handlers_of_distinct_messages_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record GetBalance : IAsk<decimal>;
        public sealed record GetOwner;

        [StatefulFunction("bank/account")]
        public sealed partial class Account : IHandle<GetBalance, decimal>, IHandleAsync<GetOwner, string>
        {
            public decimal Handle(IContext context, GetBalance message) => 0m;
            public ValueTask<string> HandleAsync(IContext context, GetOwner message) => new("ada");
        }
        """);

    [Fact]
    public Task SFN0020_answer_of_another_type_than_the_message_asks_for() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record GetBalance : IAsk<decimal>;

        [StatefulFunction("bank/account")]
        public sealed partial class {|SFN0020:Account|} : IHandle<GetBalance, string>
        {
            public string Handle(IContext context, GetBalance message) => "0";
        }
        """);
}

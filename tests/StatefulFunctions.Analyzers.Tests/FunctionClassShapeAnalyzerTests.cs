using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.FunctionClassShapeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class FunctionClassShapeAnalyzerTests
{
    [Fact]
    public Task SFN0006_generic_abstract_and_static_classes() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/generic")]
        public sealed partial class {|SFN0006:Generic|}<T>
        {
        }

        [StatefulFunction("shop/abstract")]
        public abstract partial class {|SFN0006:Abstract|}
        {
        }

        [StatefulFunction("shop/static")]
        public static partial class {|SFN0006:Static|}
        {
        }
        """);

    [Fact]
    public Task SFN0006_no_accessible_parameterless_constructor() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class {|SFN0006:Cart|}
        {
            public Cart(int capacity) { }
        }

        [StatefulFunction("shop/order")]
        public sealed partial class {|SFN0006:Order|}
        {
            private Order() { }
        }
        """);

    [Fact]
    public Task SFN0006_nested_in_non_partial_type() => Verify.VerifyAnalyzerAsync(
        """
        public static class Shop
        {
            [StatefulFunction("shop/cart")]
            public sealed partial class {|SFN0006:Cart|}
            {
            }
        }
        """);

    [Fact]
    public Task SFN0006_usable_classes_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }

        [StatefulFunction("shop/order")]
        internal sealed partial class Order
        {
            internal Order() { }
            public Order(int id) { }
        }

        public static partial class Shop
        {
            [StatefulFunction("shop/basket")]
            public sealed partial class Basket
            {
            }
        }

        public abstract class NotAFunction<T>
        {
            protected NotAFunction(int x) { }
        }
        """);
}

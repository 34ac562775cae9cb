using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.AsyncVoidAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class AsyncVoidAnalyzerTests
{
    [Fact]
    public Task SFN0010_async_void_handler_and_helper() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            public async void {|SFN0010:Handle|}(IContext context, AddItem message) => await Task.Yield();

            private async void {|SFN0010:Refresh|}() => await Task.Yield();
        }
        """);

    [Fact]
    public Task SFN0010_async_value_task_and_other_classes_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandleAsync<AddItem>
        {
            public async ValueTask HandleAsync(IContext context, AddItem message) => await Task.Yield();

            private void Refresh() { }
        }

        public sealed class NotAFunction
        {
            public async void OnClick() => await Task.Yield();
        }
        """);
}

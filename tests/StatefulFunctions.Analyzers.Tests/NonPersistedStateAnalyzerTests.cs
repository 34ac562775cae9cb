using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.NonPersistedStateAnalyzer,
    StatefulFunctions.Analyzers.MarkPersistedCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class NonPersistedStateAnalyzerTests
{
    [Fact]
    public Task SFN0011_assignments_of_non_persisted_state_in_handlers() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);
        public sealed record Clear;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>, IHandleAsync<Clear>
        {
            private int _count;
            private string? _last;
            public int Total { get; set; }

            public void Handle(IContext context, AddItem message)
            {
                {|SFN0011:_count|}++;
                {|SFN0011:this._count|} += 2;
                {|SFN0011:_last|} = message.Sku;
                {|SFN0011:_last|} ??= "none";
                {|SFN0011:Total|} = _count;
            }

            async ValueTask IHandleAsync<Clear>.HandleAsync(IContext context, Clear message)
            {
                await Task.Yield();
                --{|SFN0011:_count|};
            }
        }
        """);

    [Fact]
    public Task SFN0011_persisted_state_locals_and_other_methods_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record AddItem(string Sku);

        public sealed class Line
        {
            public int Quantity { get; set; }
        }

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            [Persisted] private int _count;
            [Persisted] public int Total { get; set; }
            private int _notInHandler;
            private readonly Line _line = new();

            public int Computed
            {
                get => _count;
                set => _count = value;
            }

            public void Handle(IContext context, AddItem message)
            {
                var local = 0;
                local++;
                _count++;
                Total += local;
                _line.Quantity = 3;
                Computed = 4;
            }

            public void Handle(AddItem message) => _notInHandler++;

            private void Reset() => _notInHandler = 0;
        }

        public sealed class NotAFunction : IHandle<AddItem>
        {
            private int _count;

            public void Handle(IContext context, AddItem message) => _count++;
        }
        """);

    [Fact]
    public Task SFN0011_field_is_marked_persisted() => Verify.VerifyCodeFixAsync(
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            private int _count;

            public int Total { get; private set; }

            public void Handle(IContext context, AddItem message)
            {
                {|SFN0011:_count|}++;
                {|SFN0011:Total|} = 1;
            }
        }
        """,
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            [Persisted]
            private int _count;

            [Persisted]
            public int Total { get; private set; }

            public void Handle(IContext context, AddItem message)
            {
                _count++;
                Total = 1;
            }
        }
        """);

    [Fact]
    public Task SFN0011_field_declaration_with_several_variables_has_no_fix() => Verify.VerifyNoCodeFixAsync(
        """
        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            private int _count, _other;

            public void Handle(IContext context, AddItem message)
            {
                {|SFN0011:_count|}++;
            }
        }
        """);
}

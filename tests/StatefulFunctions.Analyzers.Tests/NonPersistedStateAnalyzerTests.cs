using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.NonPersistedStateAnalyzer,
    StatefulFunctions.Analyzers.MarkPersistedCodeFixProvider>;

using Microsoft.CodeAnalysis.Testing;

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

    [Fact]
    public Task SFN0011_changes_in_methods_a_handler_calls_name_the_path() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;

        public sealed record AddItem(string Sku);
        public sealed record Clear;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>, IHandleAsync<Clear>
        {
            private int _count;
            private readonly List<string> _history = new();

            public void Handle(IContext context, AddItem message) => Record(message.Sku);

            public async ValueTask HandleAsync(IContext context, Clear message)
            {
                await Task.Yield();
                new List<string> { "a" }.ForEach(s => Bump());
            }

            private void Record(string sku)
            {
                {|#0:_history|}.Add(sku);
                Bump();
            }

            private void Bump() => {|#1:_count|}++;
        }
        """,
        [],
        Expect(0, "_history", "is changed by Add in Record (called from a handler: Handle(AddItem) -> Record)"),
        Expect(1, "_count", "is assigned in Bump (called from a handler: HandleAsync(Clear) -> Bump)"));

    [Fact]
    public Task SFN0011_collection_changes_in_a_handler() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;

        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            private readonly List<string> _history = new();
            private readonly HashSet<string> _seen = new();
            private readonly Queue<string> _pending = new();
            private readonly Dictionary<string, int> _counts = new();
            private readonly int[] _sizes = new int[3];
            private List<string> Lines { get; } = new();

            public void Handle(IContext context, AddItem message)
            {
                {|#0:_history|}.Insert(0, message.Sku);
                _ = {|#1:_seen|}.Remove(message.Sku);
                {|#2:this._pending|}.Enqueue(message.Sku);
                {|#3:_counts|}[message.Sku] = 1;
                {|#4:_sizes|}[0]++;
                {|#5:Lines|}.Clear();
            }
        }
        """,
        [],
        Expect(0, "_history", "is changed by Insert in a handler"),
        Expect(1, "_seen", "is changed by Remove in a handler"),
        Expect(2, "_pending", "is changed by Enqueue in a handler"),
        Expect(3, "_counts", "is changed through its indexer in a handler"),
        Expect(4, "_sizes", "has an element assigned in a handler"),
        Expect(5, "Lines", "is changed by Clear in a handler"));

    [Fact]
    public Task SFN0011_reads_persisted_collections_and_methods_no_handler_calls_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Collections.Immutable;

        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            [Persisted] private List<string> _history = new();
            [Persisted] private int _count;
            private readonly List<string> _cache = new();
            private readonly ImmutableArray<string> _skus = ["a"];
            private int _built;

            public Cart() => Build();

            public void Handle(IContext context, AddItem message)
            {
                var local = new List<string>();
                local.Add(message.Sku);
                _history.Add(message.Sku);
                _ = _cache.Contains(message.Sku) || _cache.Count > 1;
                _ = _skus.Add(message.Sku);
                Count();
                Describe(new Cart());
            }

            private void Count() => _count++;

            private void Build()
            {
                _built++;
                _cache.Add("ready");
            }

            private static void Describe(Cart other) => other._built = 0;
        }
        """);

    [Fact]
    public Task SFN0011_fix_marks_the_field_a_helper_changes_persisted_and_no_longer_readonly() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;

        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            private readonly List<string> _history = new();

            public void Handle(IContext context, AddItem message) => Record(message.Sku);

            private void Record(string sku) => {|SFN0011:_history|}.Add(sku);
        }
        """,
        """
        using System.Collections.Generic;

        public sealed record AddItem(string Sku);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>
        {
            [Persisted]
            private List<string> _history = new();

            public void Handle(IContext context, AddItem message) => Record(message.Sku);

            private void Record(string sku) => _history.Add(sku);
        }
        """);

    private static DiagnosticResult Expect(int location, string member, string what) =>
        new DiagnosticResult(DiagnosticDescriptors.NonPersistedStateAssigned).WithLocation(location).WithArguments(member, what);
}

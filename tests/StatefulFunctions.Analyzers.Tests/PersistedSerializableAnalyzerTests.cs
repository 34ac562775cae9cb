using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PersistedSerializableAnalyzer,
    StatefulFunctions.Analyzers.MakeMemoryPackableCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class PersistedSerializableAnalyzerTests
{
    [Fact]
    public Task SFN0014_unsupported_types() => Verify.VerifyNoCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Text;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private StringBuilder? {|SFN0014:_builder|};
            [Persisted] private List<StringBuilder> {|SFN0014:_builders|} = new();
            [Persisted] private Dictionary<string, object> {|SFN0014:_bag|} = new();
            [Persisted] public Queue<int> {|SFN0014:Pending|} { get; set; } = new();
        }
        """);

    [Fact]
    public Task SFN0014_supported_types_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using MemoryPack;

        public enum Status { Open, Closed }

        [MemoryPackable]
        public sealed partial record Line(string Sku, int Quantity);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private int _count;
            [Persisted] private string? _name;
            [Persisted] private Status _status;
            [Persisted] private decimal _total;
            [Persisted] private DateTime _created;
            [Persisted] private DateTimeOffset? _closed;
            [Persisted] private TimeSpan _ttl;
            [Persisted] private Guid _id;
            [Persisted] private long[] _ids = [];
            [Persisted] private List<Line> _lines = new();
            [Persisted] private Dictionary<string, HashSet<Guid>> _index = new();
            [Persisted] public Line? Last { get; set; }
            private object? _notPersisted;
        }
        """);

    [Fact]
    public Task SFN0014_source_types_are_made_memorypackable() => Verify.VerifyCodeFixAsync(
        """
        public sealed record Line(string Sku, int Quantity);

        public struct Point
        {
            public int X;
        }

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private Line? {|SFN0014:_last|};
            [Persisted] public Point {|SFN0014:Where|} { get; set; }
        }
        """,
        """
        [MemoryPack.MemoryPackable]
        public sealed partial record Line(string Sku, int Quantity);

        [MemoryPack.MemoryPackable]
        public partial struct Point
        {
            public int X;
        }

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private Line? _last;
            [Persisted] public Point Where { get; set; }
        }
        """);
}

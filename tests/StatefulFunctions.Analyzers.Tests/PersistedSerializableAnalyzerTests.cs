using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.PersistedSerializableAnalyzer,
    StatefulFunctions.Analyzers.MakeMemoryPackableCodeFixProvider>;

using Microsoft.CodeAnalysis.Testing;

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
            [Persisted] private Dictionary<string, object> {|SFN0022:_bag|} = new();
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

    [Fact]
    public Task SFN0022_types_that_can_never_be_stored_say_what_to_persist_instead() => Verify.VerifyNoCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.IO;
        using System.Net.Http;

        [StatefulFunction("files/upload")]
        public sealed partial class Upload
        {
            [Persisted] private Stream? {|#0:_file|};
            [Persisted] private MemoryStream {|#1:_buffer|} = new();
            [Persisted] private Action? {|#2:_onDone|};
            [Persisted] private List<Func<int>> {|#3:_steps|} = new();
            [Persisted] private object? {|#4:_anything|};
            [Persisted] private Task<int>? {|#5:_pending|};
            [Persisted] private CancellationTokenSource? {|#6:_cancel|};
            [Persisted] public HttpClient? {|#7:Client|} { get; set; }
        }
        """,
        Never(0, "_file", "Stream?", "a Stream cannot be stored; persist its bytes (byte[]) or a path to them"),
        Never(1, "_buffer", "MemoryStream", "a MemoryStream cannot be stored; persist its bytes (byte[]) or a path to them"),
        Never(2, "_onDone", "Action?", "a delegate ('Action') cannot be stored; persist the data it needs, and decide in the handler what to run from it"),
        Never(3, "_steps", "List<Func<int>>", "a delegate ('Func<int>') cannot be stored; persist the data it needs, and decide in the handler what to run from it"),
        Never(4, "_anything", "object?", "MemoryPack must know the concrete type of what it stores; persist a concrete [MemoryPackable] type, or an interface or abstract class marked [MemoryPackable] with a [MemoryPackUnion] for each implementation"),
        Never(5, "_pending", "Task<int>?", "a task ('Task<int>') cannot be stored; await it in the handler and persist its result"),
        Never(6, "_cancel", "CancellationTokenSource?", "a CancellationTokenSource is a live resource of this process and cannot be stored; persist what is needed to recreate it, and get or create it when a handler needs it"),
        Never(7, "Client", "HttpClient?", "a HttpClient is a live resource of this process and cannot be stored; persist what is needed to recreate it, and get or create it when a handler needs it"));

    [Fact]
    public Task SFN0014_types_that_may_be_made_serializable_say_how() => Verify.VerifyNoCodeFixAsync(
        """
        using System.Collections.Generic;

        public interface IShape;

        public abstract class Animal;

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private IShape? {|#0:_shape|};
            [Persisted] private List<Animal> {|#1:_pets|} = new();
            [Persisted] private Queue<int> {|#2:_pending|} = new();
        }
        """,
        Maybe(0, "_shape", "IShape?", "mark 'IShape' [MemoryPackable] with a [MemoryPackUnion] for each implementation, or persist a concrete [MemoryPackable] type"),
        Maybe(1, "_pets", "List<Animal>", "mark 'Animal' [MemoryPackable] with a [MemoryPackUnion] for each implementation, or persist a concrete [MemoryPackable] type"),
        Maybe(2, "_pending", "Queue<int>", "'Queue<int>' is not one of the types it is known to handle; persist a supported type instead (a primitive, string, enum, DateTime, DateTimeOffset, TimeSpan, Guid, array, List<T>, Dictionary<TKey, TValue>, HashSet<T> or [MemoryPackable] type), or suppress this warning if MemoryPack has a formatter for it"));

    [Fact]
    public Task SFN0014_a_source_class_is_told_to_become_memorypackable() => Verify.VerifyAnalyzerAsync(
        """
        public sealed record Line(string Sku, int Quantity);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
            [Persisted] private Line? {|#0:_last|};
        }
        """,
        [],
        Maybe(0, "_last", "Line?", "mark 'Line' [MemoryPackable] and make it partial"));

    private static DiagnosticResult Never(int location, string member, string type, string advice) =>
        new DiagnosticResult(DiagnosticDescriptors.PersistedTypeNeverStorable).WithLocation(location).WithArguments(member, type, advice);

    private static DiagnosticResult Maybe(int location, string member, string type, string advice) =>
        new DiagnosticResult(DiagnosticDescriptors.PersistedTypeNotSerializable).WithLocation(location).WithArguments(member, type, advice);
}

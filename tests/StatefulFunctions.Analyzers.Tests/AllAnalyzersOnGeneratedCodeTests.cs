using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using StatefulFunctions.Generators;

namespace StatefulFunctions.Analyzers.Tests;

/// <summary>
/// Every analyzer of the analyzer assembly over a typical valid function plus the generator's output for it:
/// nothing is reported, neither in the source nor in the generated code.
/// </summary>
public sealed class AllAnalyzersOnGeneratedCodeTests
{
    private const string Source =
        """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using MemoryPack;
        using StatefulFunctions;

        namespace Shop;

        public interface ICartEvent;
        [MemoryPack.MemoryPackable] public sealed partial record AddItem(string Sku, int Quantity) : ICartEvent;
        [MemoryPack.MemoryPackable] public sealed partial record Checkout(string OrderId) : ICartEvent;
        [MemoryPack.MemoryPackable] public sealed partial record Expire;
        [MemoryPack.MemoryPackable] public sealed partial record CreateOrder(string CartId, int Items);

        [MemoryPackable]
        public sealed partial record Line(string Sku, int Quantity);

        [StatefulFunction("shop/cart")]
        public sealed partial class Cart : IHandle<AddItem>, IHandleAsync<Checkout>, IHandle<Expire>
        {
            private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

            [Persisted] private List<Line> _lines = new();
            [Persisted] private DateTimeOffset? _touched;
            [Persisted(Name = "total")] public int Total { get; private set; }
            [Persisted(ExpireAfterWrite = "01:00:00")] private partial string? Coupon { get; set; }

            public void Handle(IContext context, AddItem message)
            {
                _lines.Add(new Line(message.Sku, message.Quantity));
                Total += message.Quantity;
                _touched = context.Now;
                Coupon = message.Sku;
                context.SendAfter(Timeout, Cart.At(context.Self.Id), new Expire(), "expire");
            }

            public async ValueTask HandleAsync(IContext context, Checkout message)
            {
                await Task.Yield();
                context.Send(Order.At(message.OrderId), new CreateOrder(context.Self.Id, Total));
                context.Send((Address)Cart.At(context.Self.Id), new Expire());
                context.CancelDelayed("expire");
                context.Reply(Total);
            }

            public void Handle(IContext context, Expire message)
            {
                _lines.Clear();
                Total = 0;
            }
        }

        [MemoryPack.MemoryPackable] public sealed partial record CountItems : IAsk<int>;
        [MemoryPack.MemoryPackable] public sealed partial record Ship : IAsk<bool>;

        [StatefulFunction("shop/order")]
        public sealed partial class Order : IHandle<CreateOrder>, IHandle<CountItems, int>, IHandle<Ship>, IHandle<Reply<int>>
        {
            [Persisted] private int _items;
            [Persisted] private PendingReply<bool>? _shipping;

            public void Handle(IContext context, CreateOrder message) => _items = message.Items;

            public int Handle(IContext context, CountItems message) => _items;

            public void Handle(IContext context, Ship message)
            {
                _shipping = context.DeferReply(message);
                context.Ask(Order.At("stock"), new CountItems(), correlation: "stock");
            }

            public void Handle(IContext context, Reply<int> message)
            {
                if (_shipping is not null)
                {
                    context.Reply(_shipping, message.Answered && message.Value >= _items);
                    _shipping = null;
                }
            }
        }
        """;

    [Fact]
    public async Task All_analyzers_are_silent_on_a_valid_function_and_its_generated_code()
    {
        var compilation = CSharpCompilation.Create(
            "Shop",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest), path: "Cart.cs")],
            [
                .. Basic.Reference.Assemblies.Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IContext).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
                {
                    // MemoryPack.Core is built against an older System.Runtime; the SDK suppresses these too.
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(new StatefulFunctionGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        var generatedTrees = generated.SyntaxTrees.Where(t => t.FilePath != "Cart.cs").ToArray();
        Assert.NotEmpty(generatedTrees);
        Assert.Empty(generated.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        var analyzers = AllAnalyzers();
        Assert.True(analyzers.Length >= 12, $"only {analyzers.Length} analyzers found");

        var diagnostics = await generated.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics.Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)));
        Assert.Empty(diagnostics);
    }

    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}

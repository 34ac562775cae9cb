using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.DuplicateTypeNameAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class DuplicateTypeNameAnalyzerTests
{
    [Fact]
    public Task SFN0007_second_class_with_same_name() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }

        [StatefulFunction({|#0:"shop/cart"|})]
        public sealed partial class WishList
        {
        }

        [StatefulFunction({|#1:"shop/cart"|})]
        public sealed partial class Basket
        {
        }
        """,
        [],
        new DiagnosticResult(DiagnosticDescriptors.DuplicateTypeName).WithLocation(0).WithArguments("shop/cart", "Cart"),
        new DiagnosticResult(DiagnosticDescriptors.DuplicateTypeName).WithLocation(1).WithArguments("shop/cart", "Cart"));

    [Fact]
    public Task SFN0007_name_used_in_referenced_assembly() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction({|#0:"shop/cart"|})]
        public sealed partial class Cart
        {
        }
        """,
        [CompileLibrary("""
            namespace Other;

            [StatefulFunctions.StatefulFunction("shop/cart")]
            public sealed partial class OtherCart
            {
            }
            """)],
        new DiagnosticResult(DiagnosticDescriptors.DuplicateTypeName).WithLocation(0)
            .WithArguments("shop/cart", "Other.OtherCart' in assembly 'OtherFunctions"));

    [Fact]
    public Task SFN0007_distinct_names_are_silent() => Verify.VerifyAnalyzerAsync(
        """
        [StatefulFunction("shop/cart")]
        public sealed partial class Cart
        {
        }

        [StatefulFunction("shop/wish-list")]
        public sealed partial class WishList
        {
        }
        """,
        [CompileLibrary("""
            namespace Other;

            [StatefulFunctions.StatefulFunction("shop/order")]
            public sealed partial class Order
            {
            }
            """)]);

    /// <summary>Compiles a library that references the runtime, as another project of the solution would.</summary>
    private static MetadataReference CompileLibrary(string source)
    {
        var compilation = CSharpCompilation.Create(
            "OtherFunctions",
            [CSharpSyntaxTree.ParseText(source)],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(IContext).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}

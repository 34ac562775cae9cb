using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Fixes SFN0014 when the persisted member's type is a class (not abstract), record or struct declared in source: adds
/// <c>[MemoryPack.MemoryPackable]</c> and the <c>partial</c> modifier to its declaration.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMemoryPackableCodeFixProvider))]
[Shared]
public sealed class MakeMemoryPackableCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make the type [MemoryPackable]";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PersistedTypeNotSerializable.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var type = model.GetDeclaredSymbol(node, context.CancellationToken) switch
            {
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };

            // An abstract class needs a [MemoryPackUnion] per implementation, which only the user can list.
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false, DeclaringSyntaxReferences.Length: 1 } named)
            {
                continue;
            }

            var reference = named.DeclaringSyntaxReferences[0];
            var document = context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
            if (document is null || await reference.GetSyntaxAsync(context.CancellationToken).ConfigureAwait(false) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => MakeMemoryPackableAsync(document, declaration, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Solution> MakeMemoryPackableAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(declaration, (node, g) =>
        {
            var withAttribute = g.AddAttributes(node, g.Attribute(g.DottedName("MemoryPack.MemoryPackable")));
            return g.WithModifiers(withAttribute, g.GetModifiers(withAttribute).WithPartial(true));
        });
        return editor.GetChangedDocument().Project.Solution;
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Fixes SFN0015 for a listed state that is gone when the class has exactly one new [Persisted] member of a
/// compatible type (the analyzer passes it as an additional location): adds <c>Name = "&lt;old state name&gt;"</c>
/// to its <c>[Persisted]</c> attribute, so the renamed member keeps loading the stored state.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepOldStateNameCodeFixProvider))]
[Shared]
public sealed class KeepOldStateNameCodeFixProvider : CodeFixProvider
{
    private const string Title = "Keep the old state name";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StateContractBroken.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(StateContractAnalyzer.KindProperty, out var kind)
                || kind != StateContractAnalyzer.KindStateRemoved
                || !diagnostic.Properties.TryGetValue(StateContractAnalyzer.StateNameProperty, out var oldName)
                || oldName is null
                || diagnostic.AdditionalLocations.Count != 1
                || diagnostic.AdditionalLocations[0].SourceTree is not { } tree
                || context.Document.Project.Solution.GetDocument(tree) is not { } document)
            {
                continue;
            }

            var attribute = await FindPersistedAttributeAsync(document, diagnostic.AdditionalLocations[0], context.CancellationToken).ConfigureAwait(false);
            if (attribute is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => AddNameAsync(document, attribute, oldName, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<AttributeSyntax?> FindPersistedAttributeAsync(Document document, Location location, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var declaration = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var persisted = WellKnownSymbols.Create(model.Compilation)?.PersistedAttribute;
        var attribute = model.GetDeclaredSymbol(declaration, cancellationToken)?.GetAttributes()
            .FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, persisted));
        return attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
    }

    private static async Task<Document> AddNameAsync(Document document, AttributeSyntax attribute, string oldName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var arguments = (attribute.ArgumentList?.Arguments.Select(a => a.ToString()) ?? [])
            .Concat(["Name = " + SymbolDisplay.FormatLiteral(oldName, quote: true)]);
        var list = SyntaxFactory.ParseAttributeArgumentList("(" + string.Join(", ", arguments) + ")");
        var updated = attribute.WithArgumentList(list).WithTriviaFrom(attribute);
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, updated));
    }
}

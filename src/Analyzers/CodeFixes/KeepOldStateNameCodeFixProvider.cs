using System.Collections.Generic;
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
/// <remarks>
/// Fix All is its own provider rather than <see cref="WellKnownFixAllProviders.BatchFixer"/>: the batch fixer keeps
/// only actions whose equivalence key matches the one it is asked for, and <c>dotnet format</c> asks with the key of
/// the action offered for the first SFN0015 it meets, which is none when that diagnostic is of another kind (a
/// changed type, a message no longer handled), so the batch fixer returned no action at all.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepOldStateNameCodeFixProvider))]
[Shared]
public sealed class KeepOldStateNameCodeFixProvider : CodeFixProvider
{
    private const string Title = "Keep the old state name";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StateContractBroken.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!TryGetRename(diagnostic, out var oldName, out var candidate)
                || candidate.SourceTree is not { } tree
                || context.Document.Project.Solution.GetDocument(tree) is not { } document)
            {
                continue;
            }

            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null || FindPersistedAttribute(root, model, candidate, context.CancellationToken) is not { } attribute)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, WithName(attribute, oldName)))), equivalenceKey: Title),
                diagnostic);
        }
    }

    /// <summary>
    /// Pins the old name on every renamed member of <paramref name="document"/> that one SFN0015 points at; a member
    /// that two gone states point at is left alone (which old name it had is the user's choice), as is a member in
    /// another document than its class's diagnostic (a Fix All step only changes the diagnostics' document).
    /// </summary>
    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var names = new Dictionary<AttributeSyntax, string?>();
        foreach (var diagnostic in diagnostics)
        {
            if (TryGetRename(diagnostic, out var oldName, out var candidate)
                && candidate.SourceTree == root.SyntaxTree
                && FindPersistedAttribute(root, model, candidate, context.CancellationToken) is { } attribute)
            {
                names[attribute] = names.ContainsKey(attribute) ? null : oldName;
            }
        }

        var renamed = names.Where(n => n.Value is not null).Select(n => n.Key).ToList();
        return renamed.Count == 0
            ? null
            : document.WithSyntaxRoot(root.ReplaceNodes(renamed, (original, _) => WithName(original, names[original]!)));
    }

    /// <summary>True for a gone state with one rename candidate: its old state name and the candidate's location.</summary>
    private static bool TryGetRename(Diagnostic diagnostic, out string oldName, out Location candidate)
    {
        oldName = string.Empty;
        candidate = Location.None;
        if (!diagnostic.Properties.TryGetValue(StateContractAnalyzer.KindProperty, out var kind)
            || kind != StateContractAnalyzer.KindStateRemoved
            || !diagnostic.Properties.TryGetValue(StateContractAnalyzer.StateNameProperty, out var name)
            || name is null
            || diagnostic.AdditionalLocations.Count != 1)
        {
            return false;
        }

        oldName = name;
        candidate = diagnostic.AdditionalLocations[0];
        return true;
    }

    private static AttributeSyntax? FindPersistedAttribute(SyntaxNode root, SemanticModel model, Location location, CancellationToken cancellationToken)
    {
        var declaration = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var persisted = WellKnownSymbols.Create(model.Compilation)?.PersistedAttribute;
        var attribute = model.GetDeclaredSymbol(declaration, cancellationToken)?.GetAttributes()
            .FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, persisted));
        return attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
    }

    private static AttributeSyntax WithName(AttributeSyntax attribute, string oldName)
    {
        var arguments = (attribute.ArgumentList?.Arguments.Select(a => a.ToString()) ?? [])
            .Concat(["Name = " + SymbolDisplay.FormatLiteral(oldName, quote: true)]);
        var list = SyntaxFactory.ParseAttributeArgumentList("(" + string.Join(", ", arguments) + ")");
        return attribute.WithArgumentList(list).WithTriviaFrom(attribute);
    }
}

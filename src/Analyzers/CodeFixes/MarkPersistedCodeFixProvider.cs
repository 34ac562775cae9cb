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
/// Fixes SFN0011 by adding <c>[Persisted]</c> to the assigned member's declaration (not offered for a field
/// declaration with several variables).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkPersistedCodeFixProvider))]
[Shared]
public sealed class MarkPersistedCodeFixProvider : CodeFixProvider
{
    private const string Title = "Mark it [Persisted]";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonPersistedStateAssigned.Id);

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
            var target = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var member = model.GetSymbolInfo(target, context.CancellationToken).Symbol;
            if (member is null || member.DeclaringSyntaxReferences.Length != 1)
            {
                continue;
            }

            var reference = member.DeclaringSyntaxReferences[0];
            var document = context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
            var declaration = await reference.GetSyntaxAsync(context.CancellationToken).ConfigureAwait(false);
            SyntaxNode? annotated = declaration switch
            {
                PropertyDeclarationSyntax property => property,
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax field } } => field,
                _ => null,
            };

            if (document is null || annotated is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => MarkPersistedAsync(document, annotated, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Solution> MarkPersistedAsync(Document document, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.AddAttribute(declaration, editor.Generator.Attribute("Persisted"));

        // The runtime assigns persisted state when it loads it: a readonly field would be SFN0008.
        var modifiers = editor.Generator.GetModifiers(declaration);
        if (modifiers.IsReadOnly)
        {
            editor.SetModifiers(declaration, modifiers.WithIsReadOnly(false));
        }
        return editor.GetChangedDocument().Project.Solution;
    }
}

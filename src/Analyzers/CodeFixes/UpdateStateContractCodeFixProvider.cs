using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Fixes SFN0015 by rewriting the state contract baseline (<c>StatefulFunctions.Contracts.txt</c>) to the
/// current contract of every function class in the project, for a change that is intended.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpdateStateContractCodeFixProvider))]
[Shared]
public sealed class UpdateStateContractCodeFixProvider : CodeFixProvider
{
    private const string Title = "Update the state contract baseline";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StateContractBroken.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => UpdateAllProvider.Instance;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var project = context.Document.Project;
        if (FindBaseline(project) is null)
        {
            return Task.CompletedTask;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(CreateAction(project), diagnostic);
        }

        return Task.CompletedTask;
    }

    private static CodeAction CreateAction(Project project) =>
        CodeAction.Create(Title, ct => UpdateAsync(project.Solution, project.Id, ct), equivalenceKey: Title);

    private static TextDocument? FindBaseline(Project project) =>
        project.AdditionalDocuments.FirstOrDefault(d => StateContract.IsBaselineFile(d.FilePath ?? d.Name));

    private static async Task<Solution> UpdateAsync(Solution solution, ProjectId projectId, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        var baseline = project is null ? null : FindBaseline(project);
        var compilation = project is null ? null : await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (baseline is null || compilation is null || WellKnownSymbols.Create(compilation) is not { } symbols)
        {
            return solution;
        }

        var text = StateContract.Write(StateContract.FromCompilation(compilation, symbols));
        var current = await baseline.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return current.ToString() == text
            ? solution
            : solution.WithAdditionalDocumentText(baseline.Id, SourceText.From(text, current.Encoding));
    }

    /// <summary>Every SFN0015 has the same fix: rewrite the baseline of each affected project once.</summary>
    private sealed class UpdateAllProvider : FixAllProvider
    {
        public static readonly UpdateAllProvider Instance = new();

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var projects = fixAllContext.Scope == FixAllScope.Solution
                ? fixAllContext.Solution.Projects.Select(p => p.Id).ToImmutableArray()
                : ImmutableArray.Create(fixAllContext.Project.Id);
            CodeAction action = CodeAction.Create(
                Title,
                async ct =>
                {
                    var solution = fixAllContext.Solution;
                    foreach (var id in projects)
                    {
                        solution = await UpdateAsync(solution, id, ct).ConfigureAwait(false);
                    }

                    return solution;
                },
                equivalenceKey: Title);
            return Task.FromResult<CodeAction?>(action);
        }
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>Reports async void methods, handlers included, in a [StatefulFunction] class (SFN0010).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AsyncVoidMethod);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols is not null)
            {
                start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols), SymbolKind.Method);
            }
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, WellKnownSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method is { IsAsync: true, ReturnsVoid: true, ContainingType: { } type } && symbols.IsStatefulFunction(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidMethod, method.Locations[0], method.Name));
        }
    }
}

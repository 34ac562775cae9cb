using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns about mutable static fields of a [StatefulFunction] class (SFN0009): any static field that is not
/// readonly, and static readonly fields holding an array or a mutable collection.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MutableStaticStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MutableStaticState);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var mutable = symbols.MutableCollections;
            start.RegisterSymbolAction(c => AnalyzeField(c, symbols, mutable), SymbolKind.Field);
        });
    }

    private static void AnalyzeField(SymbolAnalysisContext context, WellKnownSymbols symbols, ImmutableArray<INamedTypeSymbol> collections)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (!field.IsStatic || field.IsConst || field.IsImplicitlyDeclared
            || field.ContainingType is not { } type || !symbols.IsStatefulFunction(type))
        {
            return;
        }

        string? problem = null;
        if (!field.IsReadOnly)
        {
            problem = "is not readonly";
        }
        else if (field.Type is IArrayTypeSymbol)
        {
            problem = "holds an array";
        }
        else if (field.Type is INamedTypeSymbol named && Contains(collections, named.OriginalDefinition))
        {
            problem = $"holds a mutable {named.Name}";
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableStaticState, field.Locations[0], field.Name, problem));
        }
    }

    private static bool Contains(ImmutableArray<INamedTypeSymbol> collections, INamedTypeSymbol type)
    {
        foreach (var collection in collections)
        {
            if (SymbolEqualityComparer.Default.Equals(collection, type))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns about mutable static state of a [StatefulFunction] class (SFN0009): any static field that is not
/// readonly, static readonly fields holding an array or a mutable collection, and static properties whose value is
/// kept in a compiler-made backing field (<c>{ get; set; }</c>, <c>field</c>) with a setter or of such a type. A
/// property over a field of its own is left to that field.
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
            start.RegisterSymbolAction(c => AnalyzeProperty(c, symbols, mutable), SymbolKind.Property);
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

        var problem = field.IsReadOnly ? HoldsMutableValue(field.Type, collections) : "is not readonly";
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableStaticState, field.Locations[0], "field", field.Name, problem));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext context, WellKnownSymbols symbols, ImmutableArray<INamedTypeSymbol> collections)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (!property.IsStatic || property.IsImplicitlyDeclared
            || property.ContainingType is not { } type || !symbols.IsStatefulFunction(type)
            || !HasBackingField(type, property))
        {
            return;
        }

        var problem = property.SetMethod is not null ? "has a setter" : HoldsMutableValue(property.Type, collections);
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableStaticState, property.Locations[0], "property", property.Name, problem));
        }
    }

    /// <summary>What makes a value of <paramref name="type"/> mutable even when it is never reassigned, or null.</summary>
    private static string? HoldsMutableValue(ITypeSymbol type, ImmutableArray<INamedTypeSymbol> collections) => type switch
    {
        IArrayTypeSymbol => "holds an array",
        INamedTypeSymbol named when Contains(collections, named.OriginalDefinition) => $"holds a mutable {named.Name}",
        _ => null,
    };

    /// <summary>True for an auto-property or one that uses <c>field</c>: the compiler declared a field for its value.</summary>
    private static bool HasBackingField(INamedTypeSymbol type, IPropertySymbol property)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
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

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a [StatefulFunction] class the generator cannot use (SFN0006): generic, abstract, static,
/// nested in a type that is not partial, or without an accessible parameterless constructor.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FunctionClassShapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnusableFunctionClass);

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
                start.RegisterSymbolAction(c => AnalyzeType(c, symbols), SymbolKind.NamedType);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WellKnownSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || !symbols.IsStatefulFunction(type))
        {
            return;
        }

        var location = IdentifierLocation(type, context);

        if (type.IsGenericType)
        {
            Report(context, type, location, "is generic");
        }

        if (type.IsStatic)
        {
            Report(context, type, location, "is static");
        }
        else if (type.IsAbstract)
        {
            Report(context, type, location, "is abstract");
        }
        else if (!HasAccessibleParameterlessConstructor(type))
        {
            Report(context, type, location, "has no public or internal parameterless constructor");
        }

        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (!IsPartial(container, context))
            {
                Report(context, type, location, $"is nested inside '{container.Name}', which is not partial");
                break;
            }
        }
    }

    private static bool HasAccessibleParameterlessConstructor(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.IsEmpty
                && constructor.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPartial(INamedTypeSymbol type, SymbolAnalysisContext context)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax declaration)
            {
                foreach (var modifier in declaration.Modifiers)
                {
                    if (modifier.IsKind(SyntaxKind.PartialKeyword))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static Location IdentifierLocation(INamedTypeSymbol type, SymbolAnalysisContext context)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is ClassDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return type.Locations[0];
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, Location location, string problem) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnusableFunctionClass, location, type.Name, problem));
}

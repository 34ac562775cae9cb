using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns when a handler assigns an instance field or auto-property of its function class that is not
/// [Persisted] (SFN0011): the value is lost when the instance is swapped out.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonPersistedStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonPersistedStateAssigned);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.PersistedAttribute is null)
            {
                return;
            }

            start.RegisterOperationAction(
                c => AnalyzeTarget(c, symbols, ((IAssignmentOperation)c.Operation).Target),
                OperationKind.SimpleAssignment,
                OperationKind.CompoundAssignment,
                OperationKind.CoalesceAssignment);
            start.RegisterOperationAction(
                c => AnalyzeTarget(c, symbols, ((IIncrementOrDecrementOperation)c.Operation).Target),
                OperationKind.Increment,
                OperationKind.Decrement);
        });
    }

    private static void AnalyzeTarget(OperationAnalysisContext context, WellKnownSymbols symbols, IOperation target)
    {
        if (context.ContainingSymbol is not IMethodSymbol method || !symbols.IsHandler(method))
        {
            return;
        }

        ISymbol? member = target switch
        {
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: { IsStatic: false, IsConst: false } field } => field,
            IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property: { IsStatic: false } property } when IsAutoProperty(property) => property,
            _ => null,
        };

        if (member is null
            || !SymbolEqualityComparer.Default.Equals(member.ContainingType, method.ContainingType)
            || HasAttribute(member, symbols.PersistedAttribute!))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonPersistedStateAssigned, target.Syntax.GetLocation(), member.Name));
    }

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol member, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns when a handler's <c>IContext</c> parameter escapes the handler (SFN0013): it is assigned to a field or
/// property, or referenced from a lambda or anonymous method inside an async handler or stored in a field or property.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextEscapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ContextEscapesHandler);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.Context is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeReference(c, symbols), OperationKind.ParameterReference);
        });
    }

    private static void AnalyzeReference(OperationAnalysisContext context, WellKnownSymbols symbols)
    {
        var reference = (IParameterReferenceOperation)context.Operation;
        var parameter = reference.Parameter;
        if (!SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.Context)
            || parameter.ContainingSymbol is not IMethodSymbol handler
            || !symbols.IsHandler(handler))
        {
            return;
        }

        string? problem = null;
        if (IsStoredInMember(reference))
        {
            problem = "is stored in a field or property";
        }
        else if (EnclosingAnonymousFunction(reference) is { } function)
        {
            if (IsStoredInMember(function))
            {
                problem = "is captured by a lambda stored in a field or property";
            }
            else if (handler.IsAsync)
            {
                problem = "is captured by a lambda in an async handler, which may run after the handler returns";
            }
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContextEscapesHandler, reference.Syntax.GetLocation(), parameter.Name, problem));
        }
    }

    /// <summary>True when the value of <paramref name="operation"/> (through conversions) is assigned to a field or property.</summary>
    private static bool IsStoredInMember(IOperation operation)
    {
        var value = operation;
        while (value.Parent is IConversionOperation or IDelegateCreationOperation)
        {
            value = value.Parent;
        }

        return value.Parent is ISimpleAssignmentOperation assignment
            && assignment.Value == value
            && assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation;
    }

    private static IAnonymousFunctionOperation? EnclosingAnonymousFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation function)
            {
                return function;
            }
        }

        return null;
    }
}

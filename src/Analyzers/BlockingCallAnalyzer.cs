using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>Warns about calls that block the dispatcher thread inside a handler (SFN0005).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.BlockingCallInHandler);

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

            var blocking = new BlockingMembers(
                symbols,
                symbols.Task,
                symbols.TaskOfT,
                symbols.ValueTaskOfT,
                symbols.Thread);

            start.RegisterOperationAction(blocking.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(blocking.AnalyzePropertyReference, OperationKind.PropertyReference);
        });
    }

    /// <summary>The blocking members, resolved once per compilation.</summary>
    private sealed class BlockingMembers(
        WellKnownSymbols symbols,
        INamedTypeSymbol? task,
        INamedTypeSymbol? taskOfT,
        INamedTypeSymbol? valueTaskOfT,
        INamedTypeSymbol? thread)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var method = ((IInvocationOperation)context.Operation).TargetMethod;
            var owner = method.ContainingType?.OriginalDefinition;
            var blocks = method.Name switch
            {
                "Wait" => Is(owner, task) || Is(owner, taskOfT),
                "WaitAll" => method.IsStatic && Is(owner, task),
                "Sleep" => method.IsStatic && Is(owner, thread),
                _ => false,
            };

            if (blocks && InHandler(context))
            {
                Report(context, $"{method.ContainingType!.Name}.{method.Name}");
            }
        }

        public void AnalyzePropertyReference(OperationAnalysisContext context)
        {
            var property = ((IPropertyReferenceOperation)context.Operation).Property;
            var owner = property.ContainingType?.OriginalDefinition;
            if (property.Name == "Result" && (Is(owner, taskOfT) || Is(owner, valueTaskOfT)) && InHandler(context))
            {
                Report(context, $"{property.ContainingType!.Name}.Result");
            }
        }

        private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

        private bool InHandler(OperationAnalysisContext context) =>
            context.ContainingSymbol is IMethodSymbol { ContainingType: { } type } method
            && (IsHandlerName(method.Name) || method.ExplicitInterfaceImplementations.Any(m => IsHandlerName(m.Name)))
            && symbols.IsStatefulFunction(type);

        private static bool IsHandlerName(string name) => name is "Handle" or "HandleAsync";

        private static void Report(OperationAnalysisContext context, string member) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInHandler, context.Operation.Syntax.GetLocation(), member));
    }
}

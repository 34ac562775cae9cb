using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns about a handler that asks another function through the client and so waits for it (SFN0021): the client's
/// <c>AskAsync</c>, its typed extensions and the generated ones, inside a handler or a lambda or local function in it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ClientAskInHandlerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ClientAskInHandler);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.Client is { } client)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, client), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, WellKnownSymbols symbols, INamedTypeSymbol client)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (method.Name != "AskAsync" || !AsksThroughClient(method, client) || !InHandler(context.ContainingSymbol, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClientAskInHandler, context.Operation.Syntax.GetLocation(), method.ContainingType.Name + "." + method.Name));
    }

    /// <summary>The client's own <c>AskAsync</c> (or an implementation of it), or an extension of the client named so.</summary>
    private static bool AsksThroughClient(IMethodSymbol method, INamedTypeSymbol client)
    {
        var extended = method.ReducedFrom ?? method;
        if (extended.IsExtensionMethod)
        {
            return extended.Parameters.Length > 0 && SymbolEqualityComparer.Default.Equals(extended.Parameters[0].Type, client);
        }

        return SymbolEqualityComparer.Default.Equals(method.ContainingType, client)
            || method.ContainingType.AllInterfaces.Contains(client, SymbolEqualityComparer.Default);
    }

    /// <summary>A handler of a stateful function, or a lambda or local function inside one.</summary>
    private static bool InHandler(ISymbol? symbol, WellKnownSymbols symbols)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol is IMethodSymbol method && symbols.IsHandler(method);
    }
}

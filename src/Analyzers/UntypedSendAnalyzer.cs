using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports an untyped <c>IContext.Send</c>/<c>SendAfter</c> whose address is a converted <c>Address&lt;TFunction&gt;</c>
/// (an explicit cast or <c>.Untyped</c>) when <c>TFunction</c> does not handle the message's static type (SFN0012).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UntypedSendAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnhandledMessageSent);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.Context is null || symbols.TypedAddress is null)
            {
                return;
            }

            var compilation = start.Compilation;
            start.RegisterOperationAction(c => AnalyzeInvocation(c, compilation, symbols), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Compilation compilation, WellKnownSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.IsGenericMethod
            || method.Name is not ("Send" or "SendAfter")
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Context))
        {
            return;
        }

        IArgumentOperation? target = null;
        IArgumentOperation? message = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "target":
                    target = argument;
                    break;
                case "message":
                    message = argument;
                    break;
            }
        }

        if (target is null || message is null || TypedFunction(target.Value, symbols) is not { } function)
        {
            return;
        }

        var value = message.Value;
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        if (value.Type is not { } messageType
            || messageType.TypeKind is TypeKind.Error or TypeKind.TypeParameter
            || messageType.SpecialType == SpecialType.System_Object
            || symbols.Handles(compilation, function, messageType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnhandledMessageSent,
            value.Syntax.GetLocation(),
            function.Name,
            messageType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    /// <summary>The TFunction of <c>(Address)typed</c> or <c>typed.Untyped</c>, else null.</summary>
    private static INamedTypeSymbol? TypedFunction(IOperation address, WellKnownSymbols symbols)
    {
        var typed = address switch
        {
            IConversionOperation { IsImplicit: false } conversion => conversion.Operand,
            IPropertyReferenceOperation { Property.Name: "Untyped" } property => property.Instance,
            _ => null,
        };

        return typed?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } type
            && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TypedAddress)
            && type.TypeArguments[0] is INamedTypeSymbol { TypeKind: not TypeKind.Error } function
                ? function
                : null;
    }
}

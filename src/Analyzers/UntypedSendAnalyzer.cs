using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a message sent to a function that does not handle it (SFN0012): an untyped <c>IContext.Send</c>/<c>SendAfter</c>
/// whose address is a converted <c>Address&lt;TFunction&gt;</c> (an explicit cast or <c>.Untyped</c>), and a typed send
/// (<c>Send</c>, <c>SendAfter</c>, <c>Forward</c>, the client's <c>SendAsync</c>) of such a message to an
/// <c>Address&lt;TFunction&gt;</c>, which does not compile: the compiler's CS1503 blames the address, this names the message.
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
            start.RegisterSyntaxNodeAction(c => AnalyzeFailedTypedSend(c, symbols), SyntaxKind.InvocationExpression);
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

    /// <summary>
    /// A call to <c>Send</c>, <c>SendAfter</c>, <c>Forward</c> or <c>SendAsync</c> that does not bind, with an
    /// <c>Address&lt;TFunction&gt;</c> before the message: the typed overload's constraint refused the message.
    /// </summary>
    private static void AnalyzeFailedTypedSend(SyntaxNodeAnalysisContext context, WellKnownSymbols symbols)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
        if (name is not ("Send" or "SendAfter" or "Forward" or "SendAsync"))
        {
            return;
        }

        var info = context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken);
        if (info.Symbol is not null || info.CandidateSymbols.IsEmpty)
        {
            return;
        }

        // The target is the first argument, after the delay for SendAfter; the message follows it.
        var arguments = invocation.ArgumentList.Arguments;
        var targetIndex = name == "SendAfter" ? 1 : 0;
        if (arguments.Count < targetIndex + 2 || arguments.Any(static a => a.NameColon is not null))
        {
            return;
        }

        var targetType = context.SemanticModel.GetTypeInfo(arguments[targetIndex].Expression, context.CancellationToken).Type;
        var messageExpression = arguments[targetIndex + 1].Expression;
        var messageType = context.SemanticModel.GetTypeInfo(messageExpression, context.CancellationToken).Type;
        if (targetType is not INamedTypeSymbol { TypeArguments.Length: 1 } address
            || !SymbolEqualityComparer.Default.Equals(address.OriginalDefinition, symbols.TypedAddress)
            || address.TypeArguments[0] is not INamedTypeSymbol { TypeKind: not TypeKind.Error } function
            || messageType is null
            || messageType.TypeKind is TypeKind.Error or TypeKind.TypeParameter
            || symbols.Handles(context.SemanticModel.Compilation, function, messageType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnhandledMessageSent,
            messageExpression.GetLocation(),
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

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>Checks the shape of a [StatefulFunction] class: partial (SFN0001), type name (SFN0002), handlers (SFN0004, SFN0020).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StatefulFunctionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ClassMustBePartial,
        DiagnosticDescriptors.InvalidTypeName,
        DiagnosticDescriptors.DuplicateHandler,
        DiagnosticDescriptors.ReplyTypeMismatch);

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
        var attribute = symbols.GetStatefulFunctionAttribute(type);
        if (attribute is null)
        {
            return;
        }

        var declarations = GetDeclarations(type, context.CancellationToken);
        var identifier = declarations.Length > 0 ? declarations[0].Identifier.GetLocation() : type.Locations[0];

        if (declarations.Length > 0 && !IsPartial(declarations))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClassMustBePartial, identifier, type.Name));
        }

        CheckTypeName(context, attribute);
        CheckHandlers(context, symbols, type, identifier);
    }

    private static bool IsPartial(ImmutableArray<ClassDeclarationSyntax> declarations)
    {
        foreach (var declaration in declarations)
        {
            foreach (var modifier in declaration.Modifiers)
            {
                if (modifier.IsKind(SyntaxKind.PartialKeyword))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ImmutableArray<ClassDeclarationSyntax> GetDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var builder = ImmutableArray.CreateBuilder<ClassDeclarationSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ClassDeclarationSyntax declaration)
            {
                builder.Add(declaration);
            }
        }

        return builder.ToImmutable();
    }

    private static void CheckTypeName(SymbolAnalysisContext context, AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name)
        {
            // A null or missing argument is a compile error or a case the compiler already reports.
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].IsNull)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTypeName, ArgumentLocation(attribute, context.CancellationToken), "null"));
            }

            return;
        }

        if (!FunctionTypeNames.IsValid(name))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTypeName, ArgumentLocation(attribute, context.CancellationToken), name));
        }
    }

    private static Location ArgumentLocation(AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
        {
            var arguments = syntax.ArgumentList?.Arguments;
            return arguments is { Count: > 0 } list ? list[0].GetLocation() : syntax.GetLocation();
        }

        return Location.None;
    }

    /// <summary>SFN0004: one message type through more than one handler interface (the dispatch table can call only one).</summary>
    private static void CheckHandlers(SymbolAnalysisContext context, WellKnownSymbols symbols, INamedTypeSymbol type, Location location)
    {
        var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var reported = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var @interface in type.AllInterfaces)
        {
            if (!symbols.IsHandlerInterface(@interface))
            {
                continue;
            }

            var message = @interface.TypeArguments[0];
            if (!seen.Add(message) && reported.Add(message))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DuplicateHandler,
                    location,
                    type.Name,
                    message.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }

            if (@interface.TypeArguments.Length == 2 && AskedReply(symbols, message) is { } asked &&
                !SymbolEqualityComparer.Default.Equals(asked, @interface.TypeArguments[1]))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ReplyTypeMismatch,
                    location,
                    type.Name,
                    message.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    @interface.TypeArguments[1].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    asked.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }
    }

    /// <summary>The <c>TReply</c> of the one <c>IAsk&lt;TReply&gt;</c> the message implements; null for none or several.</summary>
    private static ITypeSymbol? AskedReply(WellKnownSymbols symbols, ITypeSymbol message)
    {
        ITypeSymbol? asked = null;
        foreach (var @interface in message.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, symbols.Ask))
            {
                if (asked is not null)
                {
                    return null;
                }

                asked = @interface.TypeArguments[0];
            }
        }

        return asked;
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a state name that is not <c>[a-z_][a-z0-9_]*</c> (the names must stay valid for the StateFun remote
/// protocol) and two persisted members of one function under the same state name (SFN0017).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateNameAnalyzer : DiagnosticAnalyzer
{
    private static readonly Regex ValidStateName = new("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InvalidStateName);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.PersistedAttribute is { } persisted)
            {
                start.RegisterSymbolAction(c => Analyze(c, symbols, persisted), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, WellKnownSymbols symbols, INamedTypeSymbol persisted)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!symbols.IsStatefulFunction(type))
        {
            return;
        }

        var taken = new Dictionary<string, ISymbol>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is not (IFieldSymbol or IPropertySymbol) || member.IsImplicitlyDeclared
                || member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, persisted)) is not { } attribute)
            {
                continue;
            }

            var explicitName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string;
            var stateName = explicitName ?? StateNames.ToStateName(member.Name);
            if (!ValidStateName.IsMatch(stateName))
            {
                var location = explicitName is null ? member.Locations[0] : NameArgumentLocation(attribute, context) ?? member.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidStateName, location, stateName, member.Name, "must match [a-z_][a-z0-9_]* (lower-case letters, digits and '_', not starting with a digit)"));
            }
            else if (taken.TryGetValue(stateName, out var other))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidStateName, member.Locations[0], stateName, member.Name, $"is already the state name of '{other.Name}'"));
            }
            else
            {
                taken.Add(stateName, member);
            }
        }
    }

    private static Location? NameArgumentLocation(AttributeData attribute, SymbolAnalysisContext context)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
        var argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Name");
        return argument?.Expression.GetLocation();
    }
}

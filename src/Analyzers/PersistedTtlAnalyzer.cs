using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>Checks the expiration strings of [Persisted] members (SFN0003).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PersistedTtlAnalyzer : DiagnosticAnalyzer
{
    private const string ExpireAfterWrite = "ExpireAfterWrite";
    private const string ExpireAfterCall = "ExpireAfterCall";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InvalidTtl);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownSymbols.Create(start.Compilation)?.PersistedAttribute is { } persisted)
            {
                start.RegisterSymbolAction(c => AnalyzeMember(c, persisted), SymbolKind.Field, SymbolKind.Property);
            }
        });
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, INamedTypeSymbol persisted)
    {
        foreach (var attribute in context.Symbol.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, persisted))
            {
                continue;
            }

            var setCount = 0;
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key is not (ExpireAfterWrite or ExpireAfterCall) || argument.Value.IsNull)
                {
                    continue;
                }

                setCount++;
                var value = argument.Value.Value as string;
                if (!IsValidTtl(value))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.InvalidTtl,
                        ArgumentLocation(attribute, argument.Key, context),
                        context.Symbol.Name,
                        $"'{value}' is not a positive TimeSpan such as '00:30:00'"));
                }
            }

            if (setCount > 1)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidTtl,
                    context.Symbol.Locations[0],
                    context.Symbol.Name,
                    "ExpireAfterWrite and ExpireAfterCall cannot both be set"));
            }
        }
    }

    /// <summary>A positive TimeSpan in the invariant culture, as the runtime parses it.</summary>
    internal static bool IsValidTtl(string? value) =>
        value is not null
        && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var ttl)
        && ttl > TimeSpan.Zero;

    private static Location ArgumentLocation(AttributeData attribute, string name, SymbolAnalysisContext context)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax { ArgumentList: { } list })
        {
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.GetLocation();
                }
            }
        }

        return context.Symbol.Locations[0];
    }
}

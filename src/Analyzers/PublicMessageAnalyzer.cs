using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a <c>[PublicMessage]</c> type without <c>[MessageType]</c> (SFN0019): clients outside the application
/// name a public message over HTTP (<c>application/vnd.{name}+json</c>, <c>Message-Type</c>), so its name is part of
/// the API, and the full CLR name it defaults to changes with a rename or a move.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PublicMessageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PublicMessageWithoutName);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.PublicMessageAttribute is { } publicMessage && symbols.MessageTypeAttribute is { } messageType)
            {
                start.RegisterSymbolAction(c => Analyze(c, publicMessage, messageType), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol publicMessage, INamedTypeSymbol messageType)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attributes = type.GetAttributes();
        var marker = attributes.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, publicMessage));
        if (marker is null || attributes.Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, messageType)))
        {
            return;
        }

        var clrName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        var location = marker.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PublicMessageWithoutName, location, type.Name, clrName, Suggest(type)));
    }

    /// <summary>A name in the house form: the last part of the namespace and the type name, in kebab case (<c>bank/deposit-money</c>).</summary>
    private static string Suggest(INamedTypeSymbol type)
    {
        var space = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.Name : "app";
        return Kebab(space) + "/" + Kebab(type.Name);
    }

    private static string Kebab(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}

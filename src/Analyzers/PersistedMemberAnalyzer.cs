using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports [Persisted] on a member the runtime cannot assign (SFN0008): static, a readonly field,
/// a property without a setter or with an init-only setter.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PersistedMemberAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PersistedMemberNotAssignable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var persisted = WellKnownSymbols.Create(start.Compilation)?.PersistedAttribute;
            if (persisted is not null)
            {
                start.RegisterSymbolAction(c => AnalyzeMember(c, persisted), SymbolKind.Field, SymbolKind.Property);
            }
        });
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, INamedTypeSymbol persisted)
    {
        var member = context.Symbol;
        if (!HasAttribute(member, persisted))
        {
            return;
        }

        var problem = member switch
        {
            IFieldSymbol { IsConst: true } => "is a constant",
            { IsStatic: true } => "is static",
            IFieldSymbol { IsReadOnly: true } => "is a readonly field",
            IPropertySymbol { SetMethod: null } => "is a property without a setter",
            IPropertySymbol { SetMethod.IsInitOnly: true } => "is an init-only property",
            _ => null,
        };

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.PersistedMemberNotAssignable, member.Locations[0], member.Name, problem));
        }
    }

    private static bool HasAttribute(ISymbol member, INamedTypeSymbol persisted)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, persisted))
            {
                return true;
            }
        }

        return false;
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Compares the function classes with the opt-in state contract baseline, the AdditionalFile
/// <c>StatefulFunctions.Contracts.txt</c>: a listed state that is gone or changed type, a listed message type no
/// longer handled, or a listed function type that no longer exists (SFN0015); a malformed file (SFN0016).
/// Additive changes are silent, and without the file nothing is reported. A file that lists no function yet (just
/// created) reports each function class once, so that the "Update the state contract baseline" fix can fill it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateContractAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: what broke (one of the <c>Kind*</c> values).</summary>
    public const string KindProperty = "Kind";

    /// <summary>Diagnostic property: the baseline state name of a state that is gone.</summary>
    public const string StateNameProperty = "StateName";

    /// <summary>A listed state is gone; an additional location points at the single new member that may have been renamed from it.</summary>
    public const string KindStateRemoved = "StateRemoved";

    /// <summary>A listed state has an incompatible type.</summary>
    public const string KindStateTypeChanged = "StateTypeChanged";

    /// <summary>A listed message type is no longer handled.</summary>
    public const string KindMessageRemoved = "MessageRemoved";

    /// <summary>The baseline file lists no function at all (it was just created).</summary>
    public const string KindBaselineEmpty = "BaselineEmpty";

    /// <summary>A listed function type no longer exists.</summary>
    public const string KindFunctionMissing = "FunctionMissing";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.StateContractBroken, DiagnosticDescriptors.StateContractUnreadable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            var file = start.Options.AdditionalFiles.FirstOrDefault(f => StateContract.IsBaselineFile(f.Path));
            if (symbols is null || file is null || file.GetText(start.CancellationToken) is not { } text)
            {
                return;
            }

            var baseline = StateContract.Parse(text, out var errorLine, out var error);
            if (baseline is null)
            {
                start.RegisterCompilationEndAction(end => end.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.StateContractUnreadable,
                    LineLocation(file.Path, text, errorLine),
                    errorLine + 1,
                    error)));
                return;
            }

            // Each class is compared in its symbol action, so its diagnostics are local and the code fixes can be
            // offered (a diagnostic reported at compilation end is non-local and gets no fix). Only a listed function
            // that no class declares any more needs every class: it is reported at compilation end.
            var functions = new ConcurrentBag<string>();
            start.RegisterSymbolAction(
                c =>
                {
                    var type = (INamedTypeSymbol)c.Symbol;
                    if (symbols.IsStatefulFunction(type) && StateContract.FromType(type, symbols) is { } contract)
                    {
                        functions.Add(contract.Name);
                        if (baseline.Functions.Count == 0)
                        {
                            // A baseline without functions was just added: give the fix a place to write it from.
                            Report(
                                c.ReportDiagnostic,
                                type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None,
                                contract.Name,
                                "the baseline lists no function yet; apply the code fix 'Update the state contract baseline' to record the current contract",
                                KindBaselineEmpty);
                        }
                        else if (baseline.Functions.TryGetValue(contract.Name, out var listed))
                        {
                            CompareFunction(c.ReportDiagnostic, contract, listed);
                        }
                    }
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportMissingFunctions(end, baseline, functions, file.Path, text));
        });
    }

    private static void ReportMissingFunctions(
        CompilationAnalysisContext context,
        Baseline baseline,
        IEnumerable<string> functions,
        string path,
        SourceText text)
    {
        var seen = new HashSet<string>(functions, StringComparer.Ordinal);
        foreach (var listed in baseline.Functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!seen.Contains(listed.Name))
            {
                Report(
                    context.ReportDiagnostic,
                    LineLocation(path, text, listed.Line),
                    listed.Name,
                    "no function type with this name exists any more (was the type name changed?); old state and messages sent to it can no longer be loaded or handled",
                    KindFunctionMissing);
            }
        }
    }

    private static void CompareFunction(Action<Diagnostic> report, FunctionContract contract, BaselineFunction listed)
    {
        var classLocation = contract.Type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
        var current = contract.States.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var state in listed.States.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (current.TryGetValue(state.Key, out var entry))
            {
                if (!StateContract.IsCompatible(state.Value, entry.MemberType))
                {
                    Report(
                        report,
                        entry.Member.Locations.FirstOrDefault() ?? classLocation,
                        contract.Name,
                        $"the state '{state.Key}' changed type from '{state.Value}' to '{entry.Type}', so its stored value can no longer be loaded",
                        KindStateTypeChanged);
                }

                continue;
            }

            // A rename candidate: the only new, unpinned member of a compatible type that is not in the baseline.
            var candidates = contract.States
                .Where(s => !s.IsPinned && !listed.States.ContainsKey(s.Name) && StateContract.IsCompatible(state.Value, s.MemberType))
                .ToList();
            var additional = candidates.Count == 1 && candidates[0].Member.Locations.FirstOrDefault() is { IsInSource: true } candidate
                ? new[] { candidate }
                : [];
            Report(
                report,
                classLocation,
                contract.Name,
                $"the persisted state '{state.Key}' ({state.Value}) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"{state.Key}\")]",
                KindStateRemoved,
                state.Key,
                additional);
        }

        foreach (var message in listed.Messages)
        {
            if (!contract.Messages.Contains(message))
            {
                Report(
                    report,
                    classLocation,
                    contract.Name,
                    $"it no longer handles the message type '{message}', so messages its senders still send are not handled",
                    KindMessageRemoved);
            }
        }
    }

    private static void Report(
        Action<Diagnostic> report,
        Location location,
        string function,
        string what,
        string kind,
        string? stateName = null,
        Location[]? additionalLocations = null)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind);
        if (stateName is not null)
        {
            properties = properties.Add(StateNameProperty, stateName);
        }

        report(Diagnostic.Create(
            DiagnosticDescriptors.StateContractBroken,
            location,
            additionalLocations ?? [],
            properties,
            function,
            what));
    }

    private static Location LineLocation(string path, SourceText text, int line)
    {
        var span = text.Lines[line].Span;
        return Location.Create(path, span, text.Lines.GetLinePositionSpan(span));
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a function type name used by two [StatefulFunction] classes (SFN0007): in the same compilation
/// (reported on every class after the first in source order), or by a class in a referenced assembly that
/// itself references the runtime.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateTypeNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DuplicateTypeName);

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

            // Built once per compilation, on first use, by whichever symbol action gets there first.
            var compilation = start.Compilation;
            var index = new Lazy<FunctionIndex>(() => FunctionIndex.Build(compilation, symbols), LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(c => AnalyzeType(c, symbols, index.Value), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WellKnownSymbols symbols, FunctionIndex index)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = symbols.GetStatefulFunctionAttribute(type);
        if (attribute is null || !TryGetName(attribute, out var name))
        {
            return;
        }

        if (index.Source.TryGetValue(name, out var owners) && owners.Count > 1
            && !SymbolEqualityComparer.Default.Equals(owners[0], type))
        {
            Report(context, attribute, name, owners[0].ToDisplayString());
        }

        if (index.Referenced.TryGetValue(name, out var referenced))
        {
            Report(context, attribute, name, $"{referenced.ToDisplayString()}' in assembly '{referenced.ContainingAssembly.Name}");
        }
    }

    private static void Report(SymbolAnalysisContext context, AttributeData attribute, string name, string other)
    {
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
            ? arguments[0].GetLocation()
            : context.Symbol.Locations[0];
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateTypeName, location, name, other));
    }

    private static bool TryGetName(AttributeData attribute, out string name)
    {
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string value)
        {
            name = value;
            return true;
        }

        name = string.Empty;
        return false;
    }

    /// <summary>Every function type name in the compilation and in the referenced assemblies that can declare functions.</summary>
    private sealed class FunctionIndex
    {
        private FunctionIndex(Dictionary<string, List<INamedTypeSymbol>> source, Dictionary<string, INamedTypeSymbol> referenced)
        {
            Source = source;
            Referenced = referenced;
        }

        /// <summary>Source classes by name, in source order (file path, then position).</summary>
        public Dictionary<string, List<INamedTypeSymbol>> Source { get; }

        public Dictionary<string, INamedTypeSymbol> Referenced { get; }

        public static FunctionIndex Build(Compilation compilation, WellKnownSymbols symbols)
        {
            var source = new Dictionary<string, List<INamedTypeSymbol>>(StringComparer.Ordinal);
            Collect(compilation.Assembly.GlobalNamespace, symbols, (name, type) =>
            {
                if (!source.TryGetValue(name, out var list))
                {
                    source[name] = list = new List<INamedTypeSymbol>();
                }

                list.Add(type);
            });

            foreach (var list in source.Values)
            {
                list.Sort(CompareBySourcePosition);
            }

            var referenced = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            var runtime = symbols.StatefulFunctionAttribute.ContainingAssembly;
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                // Only assemblies built against the runtime can declare functions; this skips the framework.
                if (References(assembly, runtime))
                {
                    Collect(assembly.GlobalNamespace, symbols, (name, type) =>
                    {
                        if (!referenced.ContainsKey(name))
                        {
                            referenced[name] = type;
                        }
                    });
                }
            }

            return new FunctionIndex(source, referenced);
        }

        private static bool References(IAssemblySymbol assembly, IAssemblySymbol runtime)
        {
            foreach (var module in assembly.Modules)
            {
                foreach (var reference in module.ReferencedAssemblySymbols)
                {
                    if (SymbolEqualityComparer.Default.Equals(reference, runtime))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void Collect(INamespaceOrTypeSymbol container, WellKnownSymbols symbols, Action<string, INamedTypeSymbol> add)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    Collect(ns, symbols, add);
                }
                else if (member is INamedTypeSymbol type)
                {
                    if (symbols.GetStatefulFunctionAttribute(type) is { } attribute && TryGetName(attribute, out var name))
                    {
                        add(name, type);
                    }

                    Collect(type, symbols, add);
                }
            }
        }

        private static int CompareBySourcePosition(INamedTypeSymbol left, INamedTypeSymbol right)
        {
            var a = left.Locations[0];
            var b = right.Locations[0];
            var byPath = string.CompareOrdinal(a.SourceTree?.FilePath, b.SourceTree?.FilePath);
            return byPath != 0 ? byPath : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
        }
    }
}

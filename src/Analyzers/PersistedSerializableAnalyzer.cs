using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns about a [Persisted] member whose type MemoryPack cannot serialize (SFN0014). Allowed: primitives, string,
/// enums, decimal, DateTime, DateTimeOffset, TimeSpan, Guid, Nullable&lt;T&gt;, arrays, List&lt;T&gt;,
/// Dictionary&lt;TKey, TValue&gt; and HashSet&lt;T&gt; of allowed types, and [MemoryPackable] types.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PersistedSerializableAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.PersistedTypeNotSerializable, DiagnosticDescriptors.MessageTypeNotSerializable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            var persisted = symbols?.PersistedAttribute;
            if (symbols is null || persisted is null)
            {
                return;
            }

            var types = new SerializableTypes(
                symbols.SerializableValueTypes,
                symbols.SerializableCollections,
                symbols.MemoryPackableAttribute);
            start.RegisterSymbolAction(c => AnalyzeMember(c, persisted, types), SymbolKind.Field, SymbolKind.Property);
            start.RegisterSymbolAction(c => AnalyzeMessages(c, symbols, types), SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// The first type in <paramref name="type"/> (itself or an element or type argument) that MemoryPack cannot
    /// serialize, or null when it can.
    /// </summary>
    private static ITypeSymbol? FindUnserializable(ITypeSymbol type, SerializableTypes types)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return FindUnserializable(array.ElementType, types);
            case ITypeParameterSymbol or IErrorTypeSymbol:
                return null;
            case INamedTypeSymbol named:
                if (named.TypeKind == TypeKind.Enum || IsPrimitive(named.SpecialType) || types.IsValueType(named) || types.IsMemoryPackable(named))
                {
                    return null;
                }

                if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || types.IsCollection(named))
                {
                    foreach (var argument in named.TypeArguments)
                    {
                        if (FindUnserializable(argument, types) is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                }

                return named;
            default:
                return type;
        }
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, INamedTypeSymbol persisted, SerializableTypes types)
    {
        var member = context.Symbol;
        var type = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        if (type is null || !HasAttribute(member, persisted) || FindUnserializable(type, types) is not { } unserializable)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.PersistedTypeNotSerializable,
            member.Locations[0],
            member.Name,
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            unserializable.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    /// <summary>SFN0018: every message type a function handles travels through the log and over the wire.</summary>
    private static void AnalyzeMessages(SymbolAnalysisContext context, WellKnownSymbols symbols, SerializableTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!symbols.IsStatefulFunction(type))
        {
            return;
        }

        foreach (var handled in type.AllInterfaces)
        {
            if (symbols.IsHandlerInterface(handled)
                && FindUnserializable(handled.TypeArguments[0], types) is { } unserializable)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MessageTypeNotSerializable,
                    type.Locations[0],
                    handled.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    unserializable.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }
    }

    private static bool IsPrimitive(SpecialType type) => type switch
    {
        SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
            or SpecialType.System_Decimal or SpecialType.System_String or SpecialType.System_DateTime => true,
        _ => false,
    };

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The serializable types of one compilation, resolved once.</summary>
    private sealed class SerializableTypes(
        ImmutableArray<INamedTypeSymbol> valueTypes,
        ImmutableArray<INamedTypeSymbol> collections,
        INamedTypeSymbol? memoryPackable)
    {
        public bool IsValueType(INamedTypeSymbol type) => Contains(valueTypes, type);

        public bool IsCollection(INamedTypeSymbol type) => Contains(collections, type.OriginalDefinition);

        public bool IsMemoryPackable(INamedTypeSymbol type) => HasAttribute(type.OriginalDefinition, memoryPackable);

        private static bool Contains(ImmutableArray<INamedTypeSymbol> types, INamedTypeSymbol type)
        {
            foreach (var candidate in types)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, type))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

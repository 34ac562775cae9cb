using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Reports a [Persisted] member whose type MemoryPack is not known to serialize. Allowed: primitives, string,
/// enums, decimal, DateTime, DateTimeOffset, TimeSpan, Guid, Nullable&lt;T&gt;, arrays, List&lt;T&gt;,
/// Dictionary&lt;TKey, TValue&gt; and HashSet&lt;T&gt; of allowed types, and [MemoryPackable] types. A type no
/// serializer can store (a stream, a task, a live resource, a delegate, object, a pointer) is an error (SFN0022) that
/// says what to persist instead; any other is a warning (SFN0014), as it may be made serializable.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PersistedSerializableAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(
            DiagnosticDescriptors.PersistedTypeNotSerializable,
            DiagnosticDescriptors.PersistedTypeNeverStorable,
            DiagnosticDescriptors.MessageTypeNotSerializable);

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
                symbols.MemoryPackableAttribute,
                symbols.UnstorableTypes);
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

        var shown = unserializable.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var never = NeverStorable(unserializable, shown, types);
        context.ReportDiagnostic(Diagnostic.Create(
            never is null ? DiagnosticDescriptors.PersistedTypeNotSerializable : DiagnosticDescriptors.PersistedTypeNeverStorable,
            member.Locations[0],
            member.Name,
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            never ?? MayBeMadeSerializable(unserializable, shown)));
    }

    /// <summary>What to persist instead of a type no serializer can store; null for a type that may be made serializable.</summary>
    private static string? NeverStorable(ITypeSymbol type, string shown, SerializableTypes types)
    {
        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
        {
            return "a pointer cannot be stored; persist the value it points to";
        }

        if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
        {
            return "MemoryPack must know the concrete type of what it stores; persist a concrete [MemoryPackable] type, "
                + "or an interface or abstract class marked [MemoryPackable] with a [MemoryPackUnion] for each implementation";
        }

        if (type.TypeKind == TypeKind.Delegate || type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate)
        {
            return $"a delegate ('{shown}') cannot be stored; persist the data it needs, and decide in the handler what to run from it";
        }

        return types.UnstorableKind(type) switch
        {
            UnstorableKind.Stream => $"a {shown} cannot be stored; persist its bytes (byte[]) or a path to them",
            UnstorableKind.Text => $"a {shown} cannot be stored; persist the text (string) or a path to it",
            UnstorableKind.Task => $"a task ('{shown}') cannot be stored; await it in the handler and persist its result",
            UnstorableKind.Resource => $"a {shown} is a live resource of this process and cannot be stored; persist what is needed to recreate it, and get or create it when a handler needs it",
            _ => null,
        };
    }

    /// <summary>What to do about a type MemoryPack may serialize once it is told how (SFN0014).</summary>
    private static string MayBeMadeSerializable(ITypeSymbol type, string shown)
    {
        if (!type.Locations.Any(l => l.IsInSource))
        {
            return $"'{shown}' is not one of the types it is known to handle; persist a supported type instead (a primitive, string, enum, "
                + "DateTime, DateTimeOffset, TimeSpan, Guid, array, List<T>, Dictionary<TKey, TValue>, HashSet<T> or [MemoryPackable] type), "
                + "or suppress this warning if MemoryPack has a formatter for it";
        }

        return type.TypeKind == TypeKind.Interface || type.IsAbstract
            ? $"mark '{shown}' [MemoryPackable] with a [MemoryPackUnion] for each implementation, or persist a concrete [MemoryPackable] type"
            : $"mark '{shown}' [MemoryPackable] and make it partial";
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
        INamedTypeSymbol? memoryPackable,
        ImmutableArray<(INamedTypeSymbol Type, UnstorableKind Kind)> unstorable)
    {
        /// <summary>The kind of <paramref name="type"/> or of its nearest base type that no serializer can store, or null.</summary>
        public UnstorableKind? UnstorableKind(ITypeSymbol type)
        {
            for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                foreach (var (candidate, kind) in unstorable)
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate, current.OriginalDefinition))
                    {
                        return kind;
                    }
                }
            }

            return null;
        }

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

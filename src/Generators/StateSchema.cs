using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Generators;

/// <summary>
/// The structural schema of a persisted member's type: its type fingerprint, stored beside its value so a value
/// written as one type is never read as another. C# keywords for primitives, <c>enum Name:underlying</c>, <c>T?</c> for
/// nullable value types (nullable reference annotations do not change the bytes, so they are left out), <c>T[]</c>,
/// <c>Name&lt;args&gt;</c> for generic types, <c>Name{member:schema,...}</c> (<c>struct Name{...}</c> for structs) in
/// MemoryPack's member order for [MemoryPackable] types, with a type already being described given by name only,
/// and the name alone for anything else.
/// </summary>
internal static class StateSchema
{
    private static readonly SymbolDisplayFormat NameFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    public static string Of(ITypeSymbol type)
    {
        var builder = new StringBuilder();
        Append(builder, type, new List<ITypeSymbol>());
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ITypeSymbol type, List<ITypeSymbol> describing)
    {
        switch (type)
        {
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                Append(builder, nullable.TypeArguments[0], describing);
                builder.Append('?');
                return;
            case IArrayTypeSymbol array:
                Append(builder, array.ElementType, describing);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                return;
            case ITypeParameterSymbol parameter:
                builder.Append(parameter.Name);
                return;
        }

        if (Keyword(type.SpecialType) is { } keyword)
        {
            builder.Append(keyword);
            return;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            builder.Append("enum ").Append(type.ToDisplayString(NameFormat)).Append(':');
            Append(builder, underlying, describing);
            return;
        }

        var named = type as INamedTypeSymbol;
        var isObject = named is not null && IsMemoryPackable(named) && !named.IsAbstract && named.TypeKind is TypeKind.Class or TypeKind.Struct;
        if (isObject && named!.IsValueType)
        {
            builder.Append("struct ");
        }

        builder.Append(type.ToDisplayString(NameFormat));
        if (named is { IsGenericType: true })
        {
            builder.Append('<');
            for (var i = 0; i < named.TypeArguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                Append(builder, named.TypeArguments[i], describing);
            }

            builder.Append('>');
        }

        if (!isObject || describing.Any(t => SymbolEqualityComparer.Default.Equals(t, type)))
        {
            return;
        }

        describing.Add(type);
        builder.Append('{');
        var first = true;
        foreach (var (name, memberType) in SerializedMembers(named!))
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            builder.Append(name).Append(':');
            Append(builder, memberType, describing);
        }

        builder.Append('}');
        describing.RemoveAt(describing.Count - 1);
    }

    /// <summary>
    /// The members MemoryPack serializes, in its order: instance fields and properties (base types first) that are
    /// public or [MemoryPackInclude], minus [MemoryPackIgnore], set-only properties and indexers; by [MemoryPackOrder]
    /// when given, else as declared.
    /// </summary>
    private static IEnumerable<(string Name, ITypeSymbol Type)> SerializedMembers(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            chain.Insert(0, current);
        }

        var members = new List<(string Name, ITypeSymbol Type, int Order, int Index)>();
        var seen = new HashSet<string>();
        foreach (var declaring in chain)
        {
            foreach (var member in declaring.GetMembers())
            {
                ITypeSymbol? memberType = member switch
                {
                    IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false, IsConst: false } field => field.Type,
                    IPropertySymbol { IsStatic: false, IsImplicitlyDeclared: false, IsIndexer: false, GetMethod: not null } property => property.Type,
                    _ => null,
                };
                if (memberType is null || !member.CanBeReferencedByName || member.IsOverride || HasMemoryPackAttribute(member, "MemoryPackIgnoreAttribute"))
                {
                    continue;
                }

                if (member.DeclaredAccessibility != Accessibility.Public && !HasMemoryPackAttribute(member, "MemoryPackIncludeAttribute"))
                {
                    continue;
                }

                if (!seen.Add(member.Name))
                {
                    continue;
                }

                var order = member.GetAttributes()
                    .FirstOrDefault(static a => IsMemoryPackType(a.AttributeClass, "MemoryPackOrderAttribute"))?
                    .ConstructorArguments.FirstOrDefault().Value as int?;
                members.Add((member.Name, memberType, order ?? int.MaxValue, members.Count));
            }
        }

        return members.OrderBy(static m => m.Order).ThenBy(static m => m.Index).Select(static m => (m.Name, m.Type));
    }

    private static bool IsMemoryPackable(INamedTypeSymbol type) =>
        type.GetAttributes().Any(static a => IsMemoryPackType(a.AttributeClass, "MemoryPackableAttribute"));

    private static bool HasMemoryPackAttribute(ISymbol member, string name) =>
        member.GetAttributes().Any(a => IsMemoryPackType(a.AttributeClass, name));

    private static bool IsMemoryPackType(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name &&
        type.ContainingNamespace is { Name: "MemoryPack", ContainingNamespace.IsGlobalNamespace: true };

    private static string? Keyword(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => "bool",
        SpecialType.System_Char => "char",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Byte => "byte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_Decimal => "decimal",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_String => "string",
        SpecialType.System_Object => "object",
        SpecialType.System_IntPtr => "nint",
        SpecialType.System_UIntPtr => "nuint",
        _ => null,
    };
}

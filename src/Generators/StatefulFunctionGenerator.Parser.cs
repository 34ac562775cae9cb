using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StatefulFunctions.Generators.Model;

namespace StatefulFunctions.Generators;

public sealed partial class StatefulFunctionGenerator
{
    /// <summary>Symbols → <see cref="FunctionSpec"/>. Returns null (and never throws) for input it cannot generate for.</summary>
    internal static class Parser
    {
        /// <summary>Fully qualified, with nullable reference annotations as written: for declarations and generic arguments.</summary>
        private static readonly SymbolDisplayFormat AnnotatedFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>Fully qualified without nullable reference annotations: for <c>typeof</c> and patterns.</summary>
        private static readonly SymbolDisplayFormat PlainFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        /// <summary>The full CLR-style name (<c>Rides.Outer.Inner</c>, <c>System.Int32</c>): the default message type name.</summary>
        private static readonly SymbolDisplayFormat ClrNameFormat = new(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        public static FunctionSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.TargetSymbol is not INamedTypeSymbol type ||
                context.TargetNode is not ClassDeclarationSyntax declaration ||
                !TryGetFunctionTypeName(context.Attributes, out var typeNamespace, out var typeName) ||
                !CanExtend(type, declaration))
            {
                return null;
            }

            var containingTypes = GetContainingTypes(type);
            var @namespace = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
            var nameParts = containingTypes.Select(static containing => containing.Name).Append(type.Name);
            var hintName = string.Join(".", string.IsNullOrEmpty(@namespace) ? nameParts : nameParts.Prepend(@namespace));

            var handlers = GetHandlers(type, DescriptorAccessibility(type), cancellationToken);
            var persisted = GetPersistedMembers(type, cancellationToken);

            return new FunctionSpec(
                @namespace,
                Naming.EscapeIdentifier(type.Name),
                type.ToDisplayString(PlainFormat),
                hintName.Replace("@", string.Empty) + ".StatefulFunction.g.cs",
                new EquatableArray<ContainingTypeSpec>(containingTypes),
                typeNamespace,
                typeName,
                HasFunctionBase(type),
                HasPersistedStateBase(type),
                handlers,
                persisted,
                string.Concat(nameParts.Select(static part => part.TrimStart('@'))) + "Asks");
        }

        private static bool TryGetFunctionTypeName(
            IEnumerable<AttributeData> attributes, out string typeNamespace, out string typeName)
        {
            var text = attributes.FirstOrDefault()?.ConstructorArguments.FirstOrDefault().Value as string;
            return FunctionTypeNames.TryParse(text, out typeNamespace, out typeName);
        }

        /// <summary>
        /// Only a concrete, non-generic class that is partial (as are the types it is nested in) and that the registration
        /// can create (a public or internal parameterless constructor) gets a generated half. Any other is SFN0006's to
        /// report: generating for it would only add compiler errors in generated files.
        /// </summary>
        private static bool CanExtend(INamedTypeSymbol type, ClassDeclarationSyntax declaration)
        {
            if (type.IsAbstract || type.IsStatic || type.IsGenericType || !type.InstanceConstructors.Any(static constructor =>
                constructor.Parameters.IsEmpty && constructor.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }

            for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
            {
                if (node is TypeDeclarationSyntax typeDeclaration && !typeDeclaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }

            return true;
        }

        private static ContainingTypeSpec[] GetContainingTypes(INamedTypeSymbol type)
        {
            var containing = new List<ContainingTypeSpec>();
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                var keyword = outer.TypeKind switch
                {
                    TypeKind.Struct => outer.IsRecord ? "record struct" : "struct",
                    TypeKind.Interface => "interface",
                    _ => outer.IsRecord ? "record" : "class",
                };
                containing.Insert(0, new ContainingTypeSpec(keyword, Naming.EscapeIdentifier(outer.Name)));
            }

            return [.. containing];
        }

        /// <summary>
        /// Whether a base class has (or will get) <c>TypeName</c>/<c>At</c>, which the generated ones then hide.
        /// Generated members of a base in this compilation are not visible yet: such a base counts when it is a
        /// function this generator extends.
        /// </summary>
        private static bool HasFunctionBase(INamedTypeSymbol type)
        {
            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                var isGeneratedFunction = !baseType.IsAbstract && !baseType.IsGenericType &&
                    baseType.GetAttributes().Any(static attribute => IsRuntimeType(attribute.AttributeClass, KnownTypeNames.StatefulFunctionAttribute));
                if (isGeneratedFunction || !baseType.GetMembers("TypeName").IsEmpty || !baseType.GetMembers("At").IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a base class has a <c>PersistedState</c> member, or is a function this generator gives one (it has [Persisted] members).</summary>
        private static bool HasPersistedStateBase(INamedTypeSymbol type)
        {
            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                var isGeneratedFunction = !baseType.IsAbstract && !baseType.IsGenericType &&
                    baseType.GetAttributes().Any(static attribute => IsRuntimeType(attribute.AttributeClass, KnownTypeNames.StatefulFunctionAttribute));
                if (!baseType.GetMembers("PersistedState").IsEmpty ||
                    (isGeneratedFunction && baseType.GetMembers().Any(static member =>
                        member.GetAttributes().Any(static attribute => IsRuntimeType(attribute.AttributeClass, KnownTypeNames.PersistedAttribute)))))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// One handler per message type of <c>IHandle&lt;T&gt;</c>/<c>IHandleAsync&lt;T&gt;</c> and their answering
        /// forms <c>IHandle&lt;T, TReply&gt;</c>/<c>IHandleAsync&lt;T, TReply&gt;</c>, ordered so that a type comes
        /// before every type it derives from (else its case would be subsumed), ties by ordinal name.
        /// </summary>
        private static EquatableArray<HandlerSpec> GetHandlers(INamedTypeSymbol type, string functionAccessibility, CancellationToken cancellationToken)
        {
            var candidates = new List<(ITypeSymbol Message, HandlerSpec Handler)>();
            foreach (var @interface in type.AllInterfaces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var isSync = IsRuntimeType(@interface, KnownTypeNames.Handle);
                if ((!isSync && !IsRuntimeType(@interface, KnownTypeNames.HandleAsync)) || @interface.TypeArguments.Length is not (1 or 2))
                {
                    continue;
                }

                // A pattern cannot test for Nullable<T>: match its underlying type.
                var message = UnwrapNullable(@interface.TypeArguments[0]);
                if (message.TypeKind is TypeKind.Error or TypeKind.TypeParameter)
                {
                    continue;
                }

                var returnsReply = @interface.TypeArguments.Length == 2;
                var reply = returnsReply ? @interface.TypeArguments[1] : AskedReply(message);
                var replyUsable = reply is not null && reply.TypeKind is not (TypeKind.Error or TypeKind.TypeParameter);
                if (returnsReply && !replyUsable)
                {
                    continue;
                }

                candidates.Add((message, new HandlerSpec(
                    message.ToDisplayString(PlainFormat),
                    @interface.ToDisplayString(AnnotatedFormat),
                    IsAsync: !isSync,
                    GetMessageTypeName(message),
                    returnsReply,
                    replyUsable ? reply!.ToDisplayString(AnnotatedFormat) : string.Empty,
                    replyUsable ? Least(functionAccessibility, DescriptorAccessibility(message), DescriptorAccessibility(reply!)) : string.Empty,
                    message is INamedTypeSymbol named && IsRuntimeType(named, KnownTypeNames.Reply) && named.TypeArguments.Length == 1
                        ? named.TypeArguments[0].ToDisplayString(AnnotatedFormat)
                        : string.Empty,
                    replyUsable ? UnwrapNullable(reply!).ToDisplayString(PlainFormat) : string.Empty,
                    replyUsable ? GetMessageTypeName(UnwrapNullable(reply!)) : string.Empty)));
            }

            // The same message handled twice (sync and async, with and without a reply, or with different
            // annotations) is an analyzer error; keep one case (sync first) so the generated switch still compiles.
            var remaining = candidates
                .OrderBy(static candidate => candidate.Handler.MessageType, StringComparer.Ordinal)
                .ThenBy(static candidate => candidate.Handler.IsAsync)
                .ThenBy(static candidate => candidate.Handler.ReturnsReply)
                .ThenBy(static candidate => candidate.Handler.InterfaceType, StringComparer.Ordinal)
                .GroupBy(static candidate => candidate.Handler.MessageType, StringComparer.Ordinal)
                .Select(static group => group.First())
                .ToList();

            var ordered = new List<HandlerSpec>(remaining.Count);
            while (remaining.Count > 0)
            {
                // The first (by name) type no remaining type derives from; the list is never empty of
                // such a type because derivation has no cycles.
                var next = remaining.FindIndex(candidate =>
                    !remaining.Any(other => !ReferenceEquals(other.Message, candidate.Message) && DerivesFrom(other.Message, candidate.Message)));
                next = next < 0 ? 0 : next;
                ordered.Add(remaining[next].Handler);
                remaining.RemoveAt(next);
            }

            return new EquatableArray<HandlerSpec>([.. ordered]);
        }

        /// <summary>The <c>TReply</c> of the one <c>IAsk&lt;TReply&gt;</c> the message implements; null for none or several.</summary>
        private static ITypeSymbol? AskedReply(ITypeSymbol message)
        {
            var asks = message.AllInterfaces.Where(static @interface => IsRuntimeType(@interface, KnownTypeNames.Ask) && @interface.TypeArguments.Length == 1).ToList();
            if (message is INamedTypeSymbol named && IsRuntimeType(named, KnownTypeNames.Ask) && named.TypeArguments.Length == 1)
            {
                asks.Add(named);
            }

            return asks.Count == 1 ? asks[0].TypeArguments[0] : null;
        }

        /// <summary>The least visible of accessibilities as <see cref="DescriptorAccessibility"/> gives them (empty is the least).</summary>
        private static string Least(params string[] accessibilities) =>
            accessibilities.Contains(string.Empty) ? string.Empty : accessibilities.Contains("internal") ? "internal" : "public";

        private static ITypeSymbol UnwrapNullable(ITypeSymbol type) =>
            type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);

        private static bool DerivesFrom(ITypeSymbol derived, ITypeSymbol @base)
        {
            if (SymbolEqualityComparer.Default.Equals(derived, @base))
            {
                return false;
            }

            if (@base.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            for (var current = derived.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, @base))
                {
                    return true;
                }
            }

            return derived.AllInterfaces.Any(@interface => SymbolEqualityComparer.Default.Equals(@interface, @base));
        }

        private static string GetMessageTypeName(ITypeSymbol message)
        {
            var pinned = message.GetAttributes()
                .FirstOrDefault(static attribute => IsRuntimeType(attribute.AttributeClass, KnownTypeNames.MessageTypeAttribute))?
                .ConstructorArguments.FirstOrDefault().Value as string;
            return pinned ?? message.ToDisplayString(ClrNameFormat);
        }

        private static EquatableArray<PersistedMemberSpec> GetPersistedMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var members = new List<PersistedMemberSpec>();
            foreach (var member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                // ReadState assigns the member: it must be writable outside a constructor or initializer.
                var memberType = PersistedMembers.AssignableType(member);
                var attribute = memberType is null
                    ? null
                    : member.GetAttributes().FirstOrDefault(static attribute => IsRuntimeType(attribute.AttributeClass, KnownTypeNames.PersistedAttribute));
                if (memberType is null || attribute is null)
                {
                    continue;
                }

                var name = GetNamedString(attribute, "Name");
                var (expiration, ttl) = TryParseTtl(GetNamedString(attribute, "ExpireAfterWrite"), out var afterWrite)
                    ? (Expiration.AfterWrite, afterWrite)
                    : TryParseTtl(GetNamedString(attribute, "ExpireAfterCall"), out var afterCall)
                        ? (Expiration.AfterCall, afterCall)
                        : (Expiration.None, TimeSpan.Zero);
                var identifier = Naming.EscapeIdentifier(member.Name);
                var (partial, getter, setter) = member is IPropertySymbol { IsPartialDefinition: true, PartialImplementationPart: null } declared
                    ? PartialModifiers(declared)
                    : (string.Empty, string.Empty, string.Empty);

                members.Add(new PersistedMemberSpec(
                    string.IsNullOrWhiteSpace(name) ? StateNames.ToStateName(member.Name) : name!,
                    member.Name,
                    // The generated methods' parameters are named writer/reader: do not let them hide a member.
                    member.Name is "writer" or "reader" ? "this." + identifier : identifier,
                    memberType.ToDisplayString(AnnotatedFormat),
                    memberType.ToDisplayString(PlainFormat),
                    expiration,
                    ttl.Ticks,
                    expiration == Expiration.None ? string.Empty : ttl.ToString("c", CultureInfo.InvariantCulture),
                    StateSchema.Of(memberType),
                    string.Empty,
                    DescriptorAccessibility(memberType),
                    partial,
                    getter,
                    setter,
                    partial.Length > 0 && memberType.IsReferenceType && memberType.NullableAnnotation != NullableAnnotation.Annotated ? " = null!" : string.Empty));
            }

            // Descriptor names: PascalCase of the state name, made unique with a number.
            var used = new HashSet<string>(ReservedDescriptorNames, StringComparer.Ordinal);
            for (var i = 0; i < members.Count; i++)
            {
                var candidate = Naming.ToPascalCase(members[i].StateName);
                var unique = candidate;
                for (var n = 2; !used.Add(unique); n++)
                {
                    unique = candidate + n.ToString(CultureInfo.InvariantCulture);
                }

                members[i] = members[i] with { DescriptorName = unique };
            }

            return new EquatableArray<PersistedMemberSpec>([.. members]);
        }

        /// <summary>
        /// The modifiers the implementing declaration of a <c>[Persisted]</c> partial property repeats: the property's
        /// accessibility and inheritance modifiers, and each accessor's accessibility where it differs.
        /// </summary>
        private static (string Property, string Getter, string Setter) PartialModifiers(IPropertySymbol property)
        {
            var modifiers = new List<string> { AccessibilityText(property.DeclaredAccessibility) };
            if (property.IsRequired)
            {
                modifiers.Add("required");
            }

            modifiers.Add(property.IsOverride ? "override" : property.IsVirtual ? "virtual" : string.Empty);
            if (property.IsSealed)
            {
                modifiers.Add("sealed");
            }

            modifiers.Add("partial");
            return (
                string.Join(" ", modifiers.Where(static m => m.Length > 0)),
                AccessorModifier(property, property.GetMethod),
                AccessorModifier(property, property.SetMethod));
        }

        private static string AccessorModifier(IPropertySymbol property, IMethodSymbol? accessor) =>
            accessor is null || accessor.DeclaredAccessibility == property.DeclaredAccessibility
                ? string.Empty
                : AccessibilityText(accessor.DeclaredAccessibility) + " ";

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        /// <summary>Names a descriptor cannot take: its class's own, and those of <c>object</c>'s members it would hide.</summary>
        private static readonly string[] ReservedDescriptorNames =
            ["PersistedState", "Equals", "GetHashCode", "GetType", "ToString", "ReferenceEquals", "MemberwiseClone", "Finalize"];

        /// <summary>
        /// How visible a descriptor of a member of this type can be: <c>public</c> when every type in it is public,
        /// <c>internal</c> when each is at least internal, else empty (a type private to the function class).
        /// </summary>
        private static string DescriptorAccessibility(ITypeSymbol type)
        {
            var least = Accessibility.Public;
            Visit(type);
            return least switch
            {
                Accessibility.Public => "public",
                Accessibility.Internal or Accessibility.ProtectedOrInternal => "internal",
                _ => string.Empty,
            };

            void Visit(ITypeSymbol current)
            {
                switch (current)
                {
                    case IArrayTypeSymbol array:
                        Visit(array.ElementType);
                        return;
                    case INamedTypeSymbol named:
                        for (INamedTypeSymbol? outer = named; outer is not null; outer = outer.ContainingType)
                        {
                            least = Least(least, outer.DeclaredAccessibility);
                        }

                        foreach (var argument in named.TypeArguments)
                        {
                            Visit(argument);
                        }

                        return;
                }
            }

            static Accessibility Least(Accessibility left, Accessibility right)
            {
                static int Rank(Accessibility accessibility) => accessibility switch
                {
                    Accessibility.Public => 3,
                    Accessibility.Internal or Accessibility.ProtectedOrInternal => 2,
                    _ => 1,
                };

                return Rank(right) < Rank(left) ? right : left;
            }
        }

        /// <summary>A TTL must parse (invariant culture) and be positive; anything else is left to the analyzer.</summary>
        private static bool TryParseTtl(string? text, out TimeSpan ttl) =>
            TimeSpan.TryParse(text ?? string.Empty, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;

        private static string? GetNamedString(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value as string;
                }
            }

            return null;
        }

        private static bool IsRuntimeType(INamedTypeSymbol? type, string name) =>
            type is not null &&
            type.Name == name &&
            type.ContainingType is null &&
            type.ContainingNamespace is { Name: KnownTypeNames.RuntimeNamespace, ContainingNamespace.IsGlobalNamespace: true };
    }
}

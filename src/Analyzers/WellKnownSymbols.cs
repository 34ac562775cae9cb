using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Analyzers;

/// <summary>The runtime types the analyzers look for, resolved once per compilation.</summary>
internal sealed class WellKnownSymbols
{
    private WellKnownSymbols(
        INamedTypeSymbol statefulFunctionAttribute,
        INamedTypeSymbol? persistedAttribute,
        INamedTypeSymbol? handle,
        INamedTypeSymbol? handleAsync,
        INamedTypeSymbol? context,
        INamedTypeSymbol? typedAddress)
    {
        StatefulFunctionAttribute = statefulFunctionAttribute;
        PersistedAttribute = persistedAttribute;
        Handle = handle;
        HandleAsync = handleAsync;
        Context = context;
        TypedAddress = typedAddress;
    }

    public INamedTypeSymbol StatefulFunctionAttribute { get; }

    public INamedTypeSymbol? PersistedAttribute { get; }

    public INamedTypeSymbol? Handle { get; }

    public INamedTypeSymbol? HandleAsync { get; }

    /// <summary>StatefulFunctions.IContext.</summary>
    public INamedTypeSymbol? Context { get; }

    /// <summary>StatefulFunctions.Address&lt;TFunction&gt; (unbound).</summary>
    public INamedTypeSymbol? TypedAddress { get; }

    /// <summary>Returns null when the compilation does not reference the runtime, so nothing is analyzed.</summary>
    public static WellKnownSymbols? Create(Compilation compilation)
    {
        var attribute = compilation.GetTypeByMetadataName("StatefulFunctions.StatefulFunctionAttribute");
        if (attribute is null)
        {
            return null;
        }

        return new WellKnownSymbols(
            attribute,
            compilation.GetTypeByMetadataName("StatefulFunctions.PersistedAttribute"),
            compilation.GetTypeByMetadataName("StatefulFunctions.IHandle`1"),
            compilation.GetTypeByMetadataName("StatefulFunctions.IHandleAsync`1"),
            compilation.GetTypeByMetadataName("StatefulFunctions.IContext"),
            compilation.GetTypeByMetadataName("StatefulFunctions.Address`1"));
    }

    public bool IsStatefulFunction(INamedTypeSymbol type) => GetStatefulFunctionAttribute(type) is not null;

    public AttributeData? GetStatefulFunctionAttribute(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, StatefulFunctionAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// True for a <c>Handle</c>/<c>HandleAsync</c> method of a [StatefulFunction] class that implements
    /// IHandle&lt;T&gt; or IHandleAsync&lt;T&gt; (implicitly or explicitly).
    /// </summary>
    public bool IsHandler(IMethodSymbol method)
    {
        if (method.ContainingType is not { } type || !IsStatefulFunction(type))
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            var definition = @interface.OriginalDefinition;
            if (!SymbolEqualityComparer.Default.Equals(definition, Handle) && !SymbolEqualityComparer.Default.Equals(definition, HandleAsync))
            {
                continue;
            }

            foreach (var member in @interface.GetMembers())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> implements IHandle&lt;X&gt; or IHandleAsync&lt;X&gt; for a message of type <paramref name="message"/>.</summary>
    public bool Handles(Compilation compilation, INamedTypeSymbol type, ITypeSymbol message)
    {
        foreach (var @interface in type.AllInterfaces)
        {
            var definition = @interface.OriginalDefinition;
            if ((SymbolEqualityComparer.Default.Equals(definition, Handle) || SymbolEqualityComparer.Default.Equals(definition, HandleAsync))
                && @interface.TypeArguments.Length == 1)
            {
                var handled = @interface.TypeArguments[0];
                var conversion = compilation.ClassifyCommonConversion(message, handled);
                if (conversion.IsIdentity || (conversion.IsImplicit && !conversion.IsUserDefined && !conversion.IsNumeric))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

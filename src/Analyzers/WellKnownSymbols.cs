using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Analyzers;

/// <summary>The runtime types the analyzers look for, resolved once per compilation.</summary>
internal sealed class WellKnownSymbols
{
    private WellKnownSymbols(
        INamedTypeSymbol statefulFunctionAttribute,
        INamedTypeSymbol? persistedAttribute,
        INamedTypeSymbol? handle,
        INamedTypeSymbol? handleAsync)
    {
        StatefulFunctionAttribute = statefulFunctionAttribute;
        PersistedAttribute = persistedAttribute;
        Handle = handle;
        HandleAsync = handleAsync;
    }

    public INamedTypeSymbol StatefulFunctionAttribute { get; }

    public INamedTypeSymbol? PersistedAttribute { get; }

    public INamedTypeSymbol? Handle { get; }

    public INamedTypeSymbol? HandleAsync { get; }

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
            compilation.GetTypeByMetadataName("StatefulFunctions.IHandleAsync`1"));
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
}

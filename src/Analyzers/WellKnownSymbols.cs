using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// The types the analyzers look for, resolved once per compilation. The one place that calls
/// <see cref="Compilation.GetTypeByMetadataName(string)"/> (banned elsewhere, see <c>src/Shared/BannedSymbols.txt</c>):
/// the runtime types are resolved when it is created, the framework and MemoryPack types when first read.
/// </summary>
#pragma warning disable RS0030 // The one sanctioned caller of GetTypeByMetadataName.
internal sealed class WellKnownSymbols
{
    private static readonly string[] SerializableValueTypeNames =
    [
        "System.DateTimeOffset",
        "System.TimeSpan",
        "System.Guid",
    ];

    private static readonly string[] SerializableCollectionNames =
    [
        "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.HashSet`1",
    ];

    private static readonly string[] MutableCollectionNames =
    [
        "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.Stack`1",
    ];

    /// <summary>
    /// Framework types no serializer can store, each with the category of advice the analyzer gives; a type derived
    /// from one (a FileStream, a Task&lt;T&gt;, an HttpClient) is one as well.
    /// </summary>
    private static readonly (string Name, UnstorableKind Kind)[] UnstorableTypeNames =
    [
        ("System.IO.Stream", UnstorableKind.Stream),
        ("System.IO.TextReader", UnstorableKind.Text),
        ("System.IO.TextWriter", UnstorableKind.Text),
        ("System.Threading.Tasks.Task", UnstorableKind.Task),
        ("System.Threading.Tasks.ValueTask", UnstorableKind.Task),
        ("System.Threading.Tasks.ValueTask`1", UnstorableKind.Task),
        ("System.Threading.Thread", UnstorableKind.Resource),
        ("System.Threading.CancellationToken", UnstorableKind.Resource),
        ("System.Threading.CancellationTokenSource", UnstorableKind.Resource),
        ("System.Threading.WaitHandle", UnstorableKind.Resource),
        ("System.Threading.SemaphoreSlim", UnstorableKind.Resource),
        ("System.Threading.Timer", UnstorableKind.Resource),
        ("System.Net.Http.HttpMessageInvoker", UnstorableKind.Resource),
        ("System.Net.Sockets.Socket", UnstorableKind.Resource),
        ("System.Diagnostics.Process", UnstorableKind.Resource),
        ("System.IServiceProvider", UnstorableKind.Resource),
    ];

    private readonly Compilation compilation;

    private WellKnownSymbols(Compilation compilation, INamedTypeSymbol statefulFunctionAttribute)
    {
        this.compilation = compilation;
        StatefulFunctionAttribute = statefulFunctionAttribute;
        PersistedAttribute = compilation.GetTypeByMetadataName(KnownTypeNames.PersistedAttributeMetadataName);
        MessageTypeAttribute = compilation.GetTypeByMetadataName(KnownTypeNames.MessageTypeAttributeMetadataName);
        PublicMessageAttribute = compilation.GetTypeByMetadataName(KnownTypeNames.PublicMessageAttributeMetadataName);
        Handle = compilation.GetTypeByMetadataName(KnownTypeNames.HandleMetadataName);
        HandleAsync = compilation.GetTypeByMetadataName(KnownTypeNames.HandleAsyncMetadataName);
        HandleWithReply = compilation.GetTypeByMetadataName(KnownTypeNames.HandleWithReplyMetadataName);
        HandleAsyncWithReply = compilation.GetTypeByMetadataName(KnownTypeNames.HandleAsyncWithReplyMetadataName);
        Ask = compilation.GetTypeByMetadataName(KnownTypeNames.AskMetadataName);
        Context = compilation.GetTypeByMetadataName(KnownTypeNames.ContextMetadataName);
        Client = compilation.GetTypeByMetadataName(KnownTypeNames.ClientMetadataName);
        TypedAddress = compilation.GetTypeByMetadataName(KnownTypeNames.TypedAddressMetadataName);
    }

    public INamedTypeSymbol StatefulFunctionAttribute { get; }

    public INamedTypeSymbol? PersistedAttribute { get; }

    public INamedTypeSymbol? MessageTypeAttribute { get; }

    public INamedTypeSymbol? PublicMessageAttribute { get; }

    public INamedTypeSymbol? Handle { get; }

    public INamedTypeSymbol? HandleAsync { get; }

    /// <summary>IHandle&lt;TMessage, TReply&gt; (unbound).</summary>
    public INamedTypeSymbol? HandleWithReply { get; }

    /// <summary>IHandleAsync&lt;TMessage, TReply&gt; (unbound).</summary>
    public INamedTypeSymbol? HandleAsyncWithReply { get; }

    /// <summary>IAsk&lt;TReply&gt; (unbound).</summary>
    public INamedTypeSymbol? Ask { get; }

    /// <summary>StatefulFunctions.IContext.</summary>
    public INamedTypeSymbol? Context { get; }

    /// <summary>StatefulFunctions.IStatefulFunctionsClient.</summary>
    public INamedTypeSymbol? Client { get; }

    /// <summary>StatefulFunctions.Address&lt;TFunction&gt; (unbound).</summary>
    public INamedTypeSymbol? TypedAddress { get; }

    /// <summary>MemoryPack.MemoryPackableAttribute, or null when MemoryPack is not referenced. Resolved on each read.</summary>
    public INamedTypeSymbol? MemoryPackableAttribute => compilation.GetTypeByMetadataName("MemoryPack.MemoryPackableAttribute");

    /// <summary>System.Threading.Tasks.Task. Resolved on each read.</summary>
    public INamedTypeSymbol? Task => compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

    /// <summary>System.Threading.Tasks.Task&lt;TResult&gt; (unbound). Resolved on each read.</summary>
    public INamedTypeSymbol? TaskOfT => compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");

    /// <summary>System.Threading.Tasks.ValueTask&lt;TResult&gt; (unbound). Resolved on each read.</summary>
    public INamedTypeSymbol? ValueTaskOfT => compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");

    /// <summary>System.Threading.Thread. Resolved on each read.</summary>
    public INamedTypeSymbol? Thread => compilation.GetTypeByMetadataName("System.Threading.Thread");

    /// <summary>The non-primitive value types MemoryPack serializes (DateTimeOffset, TimeSpan, Guid). Resolved on each read.</summary>
    public ImmutableArray<INamedTypeSymbol> SerializableValueTypes => Resolve(SerializableValueTypeNames);

    /// <summary>The collections MemoryPack serializes (unbound List, Dictionary, HashSet). Resolved on each read.</summary>
    public ImmutableArray<INamedTypeSymbol> SerializableCollections => Resolve(SerializableCollectionNames);

    /// <summary>The mutable collections a static readonly field must not hold (unbound). Resolved on each read.</summary>
    public ImmutableArray<INamedTypeSymbol> MutableCollections => Resolve(MutableCollectionNames);

    /// <summary>The framework types no serializer can store (unbound), with their kind. Resolved on each read.</summary>
    public ImmutableArray<(INamedTypeSymbol Type, UnstorableKind Kind)> UnstorableTypes
    {
        get
        {
            var builder = ImmutableArray.CreateBuilder<(INamedTypeSymbol, UnstorableKind)>(UnstorableTypeNames.Length);
            foreach (var (name, kind) in UnstorableTypeNames)
            {
                if (compilation.GetTypeByMetadataName(name) is { } type)
                {
                    builder.Add((type, kind));
                }
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>Returns null when the compilation does not reference the runtime, so nothing is analyzed.</summary>
    public static WellKnownSymbols? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KnownTypeNames.StatefulFunctionAttributeMetadataName) is { } attribute
            ? new WellKnownSymbols(compilation, attribute)
            : null;

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
    /// True for a handler interface: IHandle&lt;T&gt;, IHandleAsync&lt;T&gt;, or their answering forms
    /// IHandle&lt;T, TReply&gt; and IHandleAsync&lt;T, TReply&gt;. Its first type argument is the message type.
    /// </summary>
    public bool IsHandlerInterface(INamedTypeSymbol @interface)
    {
        var definition = @interface.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, Handle)
            || SymbolEqualityComparer.Default.Equals(definition, HandleAsync)
            || SymbolEqualityComparer.Default.Equals(definition, HandleWithReply)
            || SymbolEqualityComparer.Default.Equals(definition, HandleAsyncWithReply);
    }

    /// <summary>True for IHandleAsync&lt;T&gt; and IHandleAsync&lt;T, TReply&gt;.</summary>
    public bool IsAsyncHandlerInterface(INamedTypeSymbol @interface)
    {
        var definition = @interface.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, HandleAsync)
            || SymbolEqualityComparer.Default.Equals(definition, HandleAsyncWithReply);
    }

    /// <summary>
    /// True for a <c>Handle</c>/<c>HandleAsync</c> method of a [StatefulFunction] class that implements a handler
    /// interface (<see cref="IsHandlerInterface"/>), implicitly or explicitly.
    /// </summary>
    public bool IsHandler(IMethodSymbol method)
    {
        if (method.ContainingType is not { } type || !IsStatefulFunction(type))
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (!IsHandlerInterface(@interface))
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

    /// <summary>True when <paramref name="type"/> implements a handler interface for a message of type <paramref name="message"/>.</summary>
    public bool Handles(Compilation compilation, INamedTypeSymbol type, ITypeSymbol message)
    {
        foreach (var @interface in type.AllInterfaces)
        {
            if (IsHandlerInterface(@interface))
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

    private ImmutableArray<INamedTypeSymbol> Resolve(string[] metadataNames)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>(metadataNames.Length);
        foreach (var name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
#pragma warning restore RS0030

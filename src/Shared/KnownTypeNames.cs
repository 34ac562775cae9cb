namespace StatefulFunctions;

/// <summary>
/// The names of the runtime types the generator and the analyzers recognise, compiled into both so they look for
/// the same types. Short names are matched against a symbol's <c>Name</c> in the <see cref="RuntimeNamespace"/>;
/// metadata names are what <c>WellKnownSymbols</c> resolves.
/// </summary>
internal static class KnownTypeNames
{
    /// <summary>The namespace every runtime type below lives in.</summary>
    public const string RuntimeNamespace = "StatefulFunctions";

    public const string StatefulFunctionAttribute = "StatefulFunctionAttribute";
    public const string PersistedAttribute = "PersistedAttribute";
    public const string MessageTypeAttribute = "MessageTypeAttribute";
    public const string PublicMessageAttribute = "PublicMessageAttribute";

    /// <summary><c>IHandle&lt;TMessage&gt;</c>, by its <c>Name</c> (without the arity).</summary>
    public const string Handle = "IHandle";

    /// <summary><c>IHandleAsync&lt;TMessage&gt;</c>, by its <c>Name</c> (without the arity).</summary>
    public const string HandleAsync = "IHandleAsync";

    /// <summary><c>IAsk&lt;TReply&gt;</c>, by its <c>Name</c> (without the arity).</summary>
    public const string Ask = "IAsk";

    /// <summary><c>Reply&lt;TReply&gt;</c>, the answer to an ask between functions, by its <c>Name</c>.</summary>
    public const string Reply = "Reply";

    public const string StatefulFunctionAttributeMetadataName = RuntimeNamespace + "." + StatefulFunctionAttribute;
    public const string PersistedAttributeMetadataName = RuntimeNamespace + "." + PersistedAttribute;
    public const string MessageTypeAttributeMetadataName = RuntimeNamespace + "." + MessageTypeAttribute;
    public const string PublicMessageAttributeMetadataName = RuntimeNamespace + "." + PublicMessageAttribute;
    public const string HandleMetadataName = RuntimeNamespace + "." + Handle + "`1";
    public const string HandleAsyncMetadataName = RuntimeNamespace + "." + HandleAsync + "`1";
    public const string HandleWithReplyMetadataName = RuntimeNamespace + "." + Handle + "`2";
    public const string HandleAsyncWithReplyMetadataName = RuntimeNamespace + "." + HandleAsync + "`2";
    public const string AskMetadataName = RuntimeNamespace + "." + Ask + "`1";
    public const string ClientMetadataName = RuntimeNamespace + ".IStatefulFunctionsClient";
    public const string ContextMetadataName = RuntimeNamespace + ".IContext";
    public const string TypedAddressMetadataName = RuntimeNamespace + ".Address`1";
}

namespace StatefulFunctions;

/// <summary>
/// The typed address of an instance of <typeparamref name="TFunction"/>, made by the generated
/// <c>TFunction.At(id)</c>. Sending to it with <see cref="IContext.Send{TFunction, TMessage}(Address{TFunction}, TMessage)"/>
/// only compiles for a message type the function handles. It deliberately has no implicit conversion to
/// <see cref="StatefulFunctions.Address"/>, so an unhandled message cannot slip through the untyped overload.
/// </summary>
/// <typeparam name="TFunction">The function class.</typeparam>
public readonly record struct Address<TFunction>
{
    /// <summary>Creates the typed address; used by generated code.</summary>
    public Address(TypeName type, string id) => Untyped = new Address(type, id);

    /// <summary>The untyped address.</summary>
    public Address Untyped { get; }

    /// <summary>The instance id.</summary>
    public string Id => Untyped.Id;

    /// <summary>The function type.</summary>
    public TypeName Type => Untyped.Type;

    /// <summary>Converts to the untyped address.</summary>
    public static explicit operator Address(Address<TFunction> address) => address.Untyped;

    /// <inheritdoc />
    public override string ToString() => Untyped.ToString();
}

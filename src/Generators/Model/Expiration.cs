namespace StatefulFunctions.Generators.Model;

/// <summary>Mirror of the runtime's <c>ExpirationMode</c>: the generator does not reference the runtime.</summary>
internal enum Expiration
{
    None,
    AfterWrite,
    AfterCall,
}

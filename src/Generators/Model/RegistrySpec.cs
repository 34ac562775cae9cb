namespace StatefulFunctions.Generators.Model;

/// <summary>The per-assembly function registry.</summary>
/// <param name="Namespace">e.g. <c>StatefulFunctions.Generated.Rides_App</c>.</param>
/// <param name="Functions">Every function of the assembly, ordered by function type name (ordinal).</param>
internal sealed record RegistrySpec(string Namespace, EquatableArray<FunctionSpec> Functions);

using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace StatefulFunctions.Generation;

/// <summary>
/// Emitted once per assembly by the generator: names the assembly's <see cref="IFunctionRegistry"/>, so that
/// adding a module registers the functions of the module's assembly without scanning its types.
/// </summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FunctionRegistryAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public FunctionRegistryAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type registryType) =>
        RegistryType = registryType;

    /// <summary>The generated registry type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type RegistryType { get; }
}

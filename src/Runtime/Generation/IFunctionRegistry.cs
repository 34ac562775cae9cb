using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>The generated registration of every function type of one assembly.</summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFunctionRegistry
{
    /// <summary>Adds every function type of the assembly to <paramref name="registrar"/>.</summary>
    void Register(IFunctionRegistrar registrar);
}

using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>Where the generated registration of an assembly adds its function types.</summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFunctionRegistrar
{
    /// <summary>Adds one function type; the generated registration calls this for every <c>[StatefulFunction]</c>.</summary>
    void AddFunction(FunctionDescriptor function);
}

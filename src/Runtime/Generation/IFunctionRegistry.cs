namespace StatefulFunctions.Generation;

/// <summary>The generated registration of every function type of one assembly.</summary>
public interface IFunctionRegistry
{
    /// <summary>Adds every function type of the assembly to <paramref name="module"/>.</summary>
    void Register(IModuleBuilder module);
}

namespace StatefulFunctions;

/// <summary>
/// The unit of composition: adds the functions of its assembly, ingresses, routers and egresses to an
/// application. Modules from several assemblies compose into one application.
/// </summary>
public interface IStatefulFunctionModule
{
    /// <summary>Adds this module's parts.</summary>
    void Configure(IModuleBuilder module);
}

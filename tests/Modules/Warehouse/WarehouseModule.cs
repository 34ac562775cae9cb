using StatefulFunctions;

namespace Warehouse;

/// <summary>The warehouse team's module: its functions are registered by generated code when the module is added.</summary>
public sealed class WarehouseModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module)
    {
    }
}

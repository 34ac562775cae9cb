using StatefulFunctions;

namespace Marketplace.Payments;

/// <summary>
/// The payments team's module. Adding it to an application brings the generated registration of the functions of
/// this assembly (the <see cref="Wallet"/>); it has nothing else to configure.
/// </summary>
public sealed class PaymentsModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module)
    {
    }
}

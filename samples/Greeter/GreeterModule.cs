using StatefulFunctions;

namespace Greetings;

/// <summary>
/// The application's module. It has nothing to configure: adding it brings the generated registration of every
/// <c>[StatefulFunction]</c> in its assembly, here the <see cref="Greeter"/>.
/// </summary>
public sealed class GreeterModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module)
    {
    }
}

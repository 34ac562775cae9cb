namespace Banking;

/// <summary>The bank: accounts and transfers (registered by the generated code of this assembly).</summary>
public sealed class BankModule : IStatefulFunctionModule
{
    public void Configure(IModuleBuilder module)
    {
    }
}

using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

[MemoryPackable] public sealed partial record AskWallet(string WalletId, decimal Amount, string Correlation);
[MemoryPackable] public sealed partial record AskOverdraw(string WalletId, string Correlation);
[MemoryPackable] public sealed partial record AskSpend(string WalletId, decimal Amount, string Correlation);
[MemoryPackable] public sealed partial record AskVault(string VaultId, string Correlation, int TimeoutMs);
[MemoryPackable] public sealed partial record GetAnswers : IAsk<List<string>>;

/// <summary>Asks other functions without waiting, and keeps a line per answer it gets (correlation, status, value).</summary>
[StatefulFunction("tests/teller")]
public sealed partial class Teller :
    IHandle<AskWallet>, IHandle<AskOverdraw>, IHandle<AskSpend>, IHandle<AskVault>,
    IHandle<Reply<decimal>>, IHandle<Reply<string>>,
    IHandle<GetAnswers, List<string>>
{
    [Persisted] private List<string> _answers = new();

    public void Handle(IContext context, AskWallet message) =>
        context.Ask(Wallet.At(message.WalletId), new AddFunds(message.Amount), message.Correlation);

    public void Handle(IContext context, AskOverdraw message) =>
        context.Ask(Wallet.At(message.WalletId), new Overdraw(), message.Correlation);

    public void Handle(IContext context, AskSpend message) =>
        context.Ask(Wallet.At(message.WalletId), new Spend(message.Amount), message.Correlation);

    public void Handle(IContext context, AskVault message) =>
        context.Ask(Vault.At(message.VaultId), new Open(), message.Correlation, TimeSpan.FromMilliseconds(message.TimeoutMs));

    public void Handle(IContext context, Reply<decimal> message) =>
        _answers.Add($"{message.Correlation} {message.Status} {message.Value} from {message.From}{(message.Failure is { } failure ? ": " + failure : "")}");

    public void Handle(IContext context, Reply<string> message) => _answers.Add($"{message.Correlation} {message.Status} {message.Value} from {message.From}");

    public List<string> Handle(IContext context, GetAnswers message) => _answers;
}

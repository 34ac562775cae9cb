using MemoryPack;
using Microsoft.Extensions.Logging;

namespace StatefulFunctions.Runtime.Tests.Functions;

[MemoryPackable] public sealed partial record GetFunds : IAsk<decimal>;
[MemoryPackable] public sealed partial record AddFunds(decimal Amount) : IAsk<decimal>;
[MemoryPackable] public sealed partial record GetNickname : IAsk<string?>;
[MemoryPackable] public sealed partial record Rename(string Nickname);
[MemoryPackable] public sealed partial record GetStatement : IAsk<Statement>;
[MemoryPackable] public sealed partial record Statement(decimal Funds, string? Nickname, int Changes);
[MemoryPackable] public sealed partial record Overdraw : IAsk<decimal>;
[MemoryPackable] public sealed partial record Spend(decimal Amount) : IAsk<decimal>;

/// <summary>A function that answers asks with the values its handlers return.</summary>
[StatefulFunction("tests/wallet")]
public sealed partial class Wallet :
    IHandle<GetFunds, decimal>,
    IHandleAsync<AddFunds, decimal>,
    IHandle<GetNickname, string?>,
    IHandle<Rename>,
    IHandle<GetStatement, Statement>,
    IHandle<Overdraw, decimal>,
    IHandle<Spend, decimal>
{
    [Persisted] private decimal _funds;
    [Persisted] private string? _nickname;
    [Persisted] private int _changes;

    public decimal Handle(IContext context, GetFunds message) => _funds;

    public async ValueTask<decimal> HandleAsync(IContext context, AddFunds message)
    {
        await Task.Yield();
        _changes++;
        return _funds += message.Amount;
    }

    public string? Handle(IContext context, GetNickname message) => _nickname;

    public void Handle(IContext context, Rename message)
    {
        context.Logger.LogInformation("Renamed to {Nickname}", message.Nickname);
        _nickname = message.Nickname;
        _changes++;
    }

    public Statement Handle(IContext context, GetStatement message) => new(_funds, _nickname, _changes);

    public decimal Handle(IContext context, Overdraw message) => throw new InvalidOperationException("A wallet cannot be overdrawn.");

    /// <summary>Refuses to spend more than there is: counted as a change first, which the rejection discards.</summary>
    public decimal Handle(IContext context, Spend message)
    {
        _changes++;
        if (message.Amount > _funds)
        {
            context.Reject($"Only {_funds} left, {message.Amount} asked.");
        }

        return _funds -= message.Amount;
    }
}

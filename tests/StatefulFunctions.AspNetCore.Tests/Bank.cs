using MemoryPack;

namespace StatefulFunctions.AspNetCore.Tests;

[MemoryPackable, MessageType("bank/deposit"), PublicMessage] public sealed partial record Deposit(decimal Amount);
[MemoryPackable, MessageType("bank/deposit-quietly"), PublicMessage] public sealed partial record DepositQuietly(decimal Amount);
[MemoryPackable, MessageType("bank/deposit-slowly"), PublicMessage] public sealed partial record DepositSlowly(decimal Amount);
[MemoryPackable, MessageType("bank/get-balance"), PublicMessage] public sealed partial record GetBalance;
[MemoryPackable, MessageType("bank/balance")] public sealed partial record Balance(string Account, decimal Amount);
[MemoryPackable, MessageType("audit/note"), PublicMessage] public sealed partial record Note(string Text);
[MemoryPackable, MessageType("bank/open-account"), PublicMessage] public sealed partial record OpenAccount(string Owner, string Currency, string? Note);
[MemoryPackable, MessageType("bank/withdraw-strictly"), PublicMessage] public sealed partial record WithdrawStrictly(decimal Amount);
[MemoryPackable, MessageType("bank/withdraw-or-refuse"), PublicMessage] public sealed partial record WithdrawOrRefuse(decimal Amount);

/// <summary>Internal: what the bank's own functions send (not marked public, so not open over HTTP).</summary>
[MemoryPackable, MessageType("bank/credit")] public sealed partial record Credit(decimal Amount);

/// <summary>Internal: the only message of <see cref="Ledger"/>, a function type that takes nothing over HTTP.</summary>
[MemoryPackable, MessageType("bank/post-entry")] public sealed partial record PostEntry(decimal Amount);

/// <summary>
/// A bank account: deposits (answered with the new balance), quiet deposits (no answer), balance queries, opening
/// (answered with a note), strict withdrawals (which fail on every attempt when the balance is too low).
/// </summary>
[StatefulFunction("bank/account")]
public sealed partial class Account : IHandle<Deposit>, IHandle<DepositQuietly>, IHandleAsync<DepositSlowly>, IHandle<GetBalance>, IHandle<OpenAccount>, IHandle<WithdrawStrictly>, IHandle<WithdrawOrRefuse>, IHandle<Credit>
{
    [Persisted] private decimal _balance;

    public void Handle(IContext context, Credit message) => _balance += message.Amount;

    public void Handle(IContext context, Deposit message)
    {
        _balance += message.Amount;
        context.Reply(new Balance(context.Self.Id, _balance));
        context.Emit(BankModule.Statements, new Balance(context.Self.Id, _balance));
    }

    public void Handle(IContext context, DepositQuietly message) => _balance += message.Amount;

    public async ValueTask HandleAsync(IContext context, DepositSlowly message)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        _balance += message.Amount;
        context.Reply(new Balance(context.Self.Id, _balance));
    }

    public void Handle(IContext context, GetBalance message) => context.Reply(new Balance(context.Self.Id, _balance));

    // Trusts its message as C# code does: a null Currency (a JSON body without it) would throw here, after the send
    // was accepted, and dead-letter the message.
    public void Handle(IContext context, OpenAccount message) =>
        context.Reply(new Note($"{message.Owner} opened an account in {message.Currency.ToUpperInvariant()}{(message.Note is { } note ? $" ({note})" : "")}."));

    public void Handle(IContext context, WithdrawOrRefuse message)
    {
        if (message.Amount > _balance)
        {
            context.Reject($"The balance is {_balance}, the withdrawal {message.Amount}.");
        }

        _balance -= message.Amount;
        context.Reply(new Balance(context.Self.Id, _balance));
    }

    public void Handle(IContext context, WithdrawStrictly message)
    {
        if (message.Amount > _balance)
        {
            throw new InvalidOperationException($"Insufficient funds: the balance is {_balance}, the withdrawal {message.Amount}.");
        }

        _balance -= message.Amount;
        context.Reply(new Balance(context.Self.Id, _balance));
    }
}

/// <summary>The bank's internal ledger: handles only an internal message.</summary>
[StatefulFunction("bank/ledger")]
public sealed partial class Ledger : IHandle<PostEntry>
{
    [Persisted] private decimal _total;

    public void Handle(IContext context, PostEntry message) => _total += message.Amount;
}

/// <summary>Handles notes only: the target of a message type it does not handle.</summary>
[StatefulFunction("audit/log")]
public sealed partial class AuditLog : IHandle<Note>
{
    [Persisted] private int _notes;

    public void Handle(IContext context, Note message)
    {
        _notes++;
        context.Emit(BankModule.Notes, message);
    }
}

/// <summary>A transfer request over HTTP: <c>{ "from": "a", "to": "b", "amount": 5 }</c>.</summary>
public sealed record TransferRequest(string From, string To, decimal Amount);

/// <summary>Routes a transfer to the two accounts it touches; refuses a non-positive amount.</summary>
public sealed class TransferRouter : IRouter<HttpIngressRequest>
{
    public void Route(HttpIngressRequest @event, IDownstream downstream)
    {
        var transfer = @event.BodyAs<TransferRequest>();
        if (transfer.Amount <= 0)
        {
            throw new ArgumentException($"A transfer moves a positive amount, not {transfer.Amount}.");
        }

        downstream.Forward(Account.At(transfer.From), new DepositQuietly(-transfer.Amount));
        downstream.Forward(Account.At(transfer.To), new DepositQuietly(transfer.Amount));
    }
}

public sealed class BankModule : IStatefulFunctionModule
{
    /// <summary>The balance after each (answered) deposit.</summary>
    public static readonly EgressId<Balance> Statements = new("bank/statements");

    /// <summary>Every note the audit log takes.</summary>
    public static readonly EgressId<Note> Notes = new("audit/notes");

    public void Configure(IModuleBuilder module)
    {
        module.AddHttpIngress("transfers", new TransferRouter());

        // The same router, with each request's idempotency key taken from its "transferId".
        module.AddHttpIngress("keyed-transfers", new TransferRouter(), request =>
            request.Body is { } body && body.TryGetProperty("transferId", out var id) ? id.GetString() : null);
        module.AddEgress(Statements).AddEgress(Notes);
    }
}

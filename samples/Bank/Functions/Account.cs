namespace Banking.Functions;

/// <summary>A bank account: its balance, whether it is closed, and a statement of the transfers it took part in.</summary>
[StatefulFunction("bank/account")]
public sealed partial class Account :
    IHandle<Deposit, decimal>,
    IHandle<GetBalance, decimal>,
    IHandle<Close, decimal>,
    IHandle<Debit, bool>,
    IHandle<Credit, bool>,
    IHandle<GetStatement, List<string>>
{
    [Persisted] private decimal _balance;
    [Persisted] private bool _closed;
    [Persisted] private List<string> _statement = new();

    public decimal Handle(IContext context, Deposit message) => _balance += message.Amount;

    public decimal Handle(IContext context, GetBalance message) => _balance;

    public decimal Handle(IContext context, Close message)
    {
        _closed = true;
        return _balance;
    }

    public bool Handle(IContext context, Debit message)
    {
        if (_closed || _balance < message.Amount)
        {
            return false;
        }

        _balance -= message.Amount;
        _statement.Add($"-{message.Entry} {message.Amount}");
        return true;
    }

    public bool Handle(IContext context, Credit message)
    {
        if (_closed)
        {
            return false;
        }

        _balance += message.Amount;
        _statement.Add($"+{message.Entry} {message.Amount}");
        return true;
    }

    public List<string> Handle(IContext context, GetStatement message) => _statement;
}

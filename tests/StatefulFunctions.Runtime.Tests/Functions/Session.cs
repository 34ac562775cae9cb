namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>A login token that expires ten minutes after it was written, and visits that expire an hour after the last call.</summary>
[StatefulFunction("tests/session")]
public sealed partial class Session : IHandle<Login>, IHandle<Visit>
{
    [Persisted(ExpireAfterWrite = "00:10:00")] private string? _token;
    [Persisted(ExpireAfterCall = "01:00:00")] private int _visits;
    [Persisted] private int _logins;

    public void Handle(IContext context, Login message)
    {
        _token = message.Token;
        _logins++;
    }

    public void Handle(IContext context, Visit message) => _visits++;
}

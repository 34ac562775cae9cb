namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Holds a record-typed state, to check what survives a swap-out.</summary>
[StatefulFunction("tests/person")]
public sealed partial class Person : IHandle<SetProfile>
{
    [Persisted] private Profile? _profile;
    [Persisted] private int _updates;

    public void Handle(IContext context, SetProfile message)
    {
        _profile = new Profile(message.Name, message.Age, message.Bio);
        _updates++;
    }
}

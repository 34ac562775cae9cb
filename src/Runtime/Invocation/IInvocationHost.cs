namespace StatefulFunctions.Runtime;

/// <summary>What an <see cref="InvocationContext"/> needs from whoever runs the handler: the runtime, or a test harness.</summary>
internal interface IInvocationHost
{
    TimeProvider TimeProvider { get; }

    /// <summary>Throws when <paramref name="message"/> could never be handled at <paramref name="target"/>.</summary>
    void CheckDeliverable(Address target, object message);

    /// <summary>Throws when <paramref name="egress"/> is not declared for records of <paramref name="recordType"/>.</summary>
    void CheckEgress(TypeName egress, Type recordType);
}

using Microsoft.Extensions.Logging;
using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>What an <see cref="InvocationContext"/> needs from whoever runs the handler: the runtime, or a test harness.</summary>
internal interface IInvocationHost
{
    TimeProvider TimeProvider { get; }

    /// <summary>The logger of the functions of <paramref name="functionType"/> (its category is the function class's name).</summary>
    ILogger LoggerOf(TypeName functionType);

    /// <summary>Throws when <paramref name="message"/> could never be handled at <paramref name="target"/>.</summary>
    void CheckDeliverable(Address target, object message);

    /// <summary>Throws when <paramref name="egress"/> is not declared for records of <paramref name="recordType"/>.</summary>
    void CheckEgress(TypeName egress, Type recordType);

    /// <summary>
    /// Where the reply of <paramref name="envelope"/> goes, in a form that can be kept (a waiting client ask is
    /// registered so that a later answer finds it); null when nobody asked.
    /// </summary>
    ReplyRoute? RouteOf(Envelope envelope);

    /// <summary>
    /// The descriptor of <paramref name="replyMessageType"/> (a <see cref="Reply{TReply}"/>) that <paramref name="asker"/>
    /// handles; throws, naming what to implement, when it handles none.
    /// </summary>
    MessageTypeDescriptor ReplyTypeOf(Address asker, Type replyMessageType);

    /// <summary>The answer to a function's ask, as the message that takes it to the asker.</summary>
    Envelope AnswerTo(ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure);
}

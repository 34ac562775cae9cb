using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>The <see cref="Reply{TReply}"/> messages of asks between functions, as the runtime and the test harness make them.</summary>
internal static class ReplyMessages
{
    /// <summary>
    /// The descriptor of <paramref name="replyMessageType"/> (a <see cref="Reply{TReply}"/>) that <paramref name="asker"/>
    /// handles; throws, naming what to implement, when it handles none.
    /// </summary>
    public static MessageTypeDescriptor DescriptorOf(FunctionType asker, Type replyMessageType) =>
        asker.Descriptor.MessageTypes.FirstOrDefault(m => m.ClrType == replyMessageType && m is IReplyFactory)
        ?? throw new InvalidOperationException(
            $"Function '{asker.Name}' asks for a {replyMessageType.GenericTypeArguments[0].FullName} but does not handle the answer: implement IHandle<Reply<{replyMessageType.GenericTypeArguments[0].Name}>>.");

    /// <summary>
    /// The answer to a function's ask, as the message that takes it to the asker; <paramref name="descriptor"/> is the
    /// one the route names (<see cref="ReplyRoute.ReplyMessageType"/>), or null when none is registered by that name.
    /// </summary>
    public static Envelope AnswerTo(MessageTypeDescriptor? descriptor, ReplyRoute route, Address from, ReplyStatus status, object? value, string? failure)
    {
        if (descriptor is not IReplyFactory factory)
        {
            throw new InvalidOperationException($"The answer to {route} is of message type '{route.ReplyMessageType}', which no registered function handles.");
        }

        var answer = factory.Create(route.Correlation!, from, status, value, failure);
        return new Envelope(route.Address, from, answer, reply: null) { AnswersAsk = route.Key };
    }
}

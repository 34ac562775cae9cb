using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>
/// What the generated code calls for the answering handlers (<see cref="IHandle{TMessage, TReply}"/>,
/// <see cref="IHandleAsync{TMessage, TReply}"/>) and for the typed asks it gives every function.
/// </summary>
/// <remarks>For use by generated code: not meant to be called directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Replies
{
    /// <summary>Makes the value an answering handler returned the reply of the call.</summary>
    public static ValueTask Return<TReply>(IContext context, TReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(reply!);
        return default;
    }

    /// <summary>Makes the value an asynchronous answering handler returns the reply of the call, once it has it.</summary>
    public static ValueTask ReturnAsync<TReply>(IContext context, ValueTask<TReply> pending)
    {
        ArgumentNullException.ThrowIfNull(context);
        return pending.IsCompletedSuccessfully ? Return(context, pending.Result) : AwaitThenReturn(context, pending);

        static async ValueTask AwaitThenReturn(IContext context, ValueTask<TReply> pending) =>
            context.Reply((await pending.ConfigureAwait(false))!);
    }

    /// <summary>The ask between functions a function's generated <c>Ask</c> makes (its message need not be an <see cref="IAsk{TReply}"/>).</summary>
    public static void Ask<TReply>(IContext context, Address target, object message, string correlation, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context)
        {
            case Runtime.InvocationContext invocation:
                invocation.Ask<TReply>(target, message, correlation, timeout);
                break;
            case var other when message is IAsk<TReply> ask:
                other.Ask(target, ask, correlation, timeout);
                break;
            default:
                throw new NotSupportedException($"{context.GetType().FullName} cannot ask with a {message?.GetType().FullName}, which is not an IAsk<{typeof(TReply).Name}>.");
        }
    }

    /// <summary>
    /// The typed ask a function's generated <c>AskAsync</c> makes: with <paramref name="idempotencyKey"/> the keyed ask,
    /// without it the plain one, waiting <paramref name="timeout"/> or <see cref="StatefulFunctionsClientExtensions.DefaultAskTimeout"/>.
    /// </summary>
    public static Task<TReply> AskAsync<TReply>(
        IStatefulFunctionsClient client, Address target, object message, TimeSpan? timeout, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var wait = timeout ?? StatefulFunctionsClientExtensions.DefaultAskTimeout;
        return idempotencyKey is null
            ? client.AskAsync<TReply>(target, message, wait, cancellationToken)
            : client.AskAsync<TReply>(target, message, wait, idempotencyKey, cancellationToken);
    }
}

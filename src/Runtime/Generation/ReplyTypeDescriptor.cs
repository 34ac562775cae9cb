using System.ComponentModel;
using MemoryPack;

namespace StatefulFunctions.Generation;

/// <summary>
/// The descriptor of the message type <see cref="Reply{TReply}"/> of one reply type, for a function that asks other
/// functions: besides storing it, the runtime makes the reply (answered, timed out, dead-lettered) with it.
/// </summary>
/// <typeparam name="TReply">The reply type of the asks.</typeparam>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReplyTypeDescriptor<TReply> : MessageTypeDescriptor, IReplyFactory
{
    /// <summary>Creates the descriptor.</summary>
    public ReplyTypeDescriptor(string name)
        : base(name, typeof(Reply<TReply>))
    {
    }

    /// <inheritdoc />
    public override byte[] Serialize(object message) => MemoryPackSerializer.Serialize((Reply<TReply>)message);

    /// <inheritdoc />
    public override object Deserialize(ReadOnlySpan<byte> bytes) =>
        MemoryPackSerializer.Deserialize<Reply<TReply>>(bytes) ?? throw new InvalidDataException($"Message of type '{Name}' deserialized to null.");

    object IReplyFactory.Create(string correlation, Address from, ReplyStatus status, object? value, string? failure)
    {
        if (status == ReplyStatus.Answered && value is not TReply && (value is not null || default(TReply) is not null))
        {
            throw new InvalidCastException(
                $"The reply to ask '{correlation}' of {from} is a {value?.GetType().FullName ?? "null"}, not the {typeof(TReply).FullName} it was asked for.");
        }

        return new Reply<TReply>(correlation, from.Type.ToString(), from.Id, status, value is TReply typed ? typed : default, failure);
    }
}

/// <summary>Makes the <see cref="Reply{TReply}"/> of one reply type from an untyped value.</summary>
internal interface IReplyFactory
{
    object Create(string correlation, Address from, ReplyStatus status, object? value, string? failure);
}

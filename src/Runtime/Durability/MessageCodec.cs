using StatefulFunctions.Generation;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime;

/// <summary>Turns messages and egress records into their stored form (stable type name + MemoryPack bytes) and back.</summary>
internal sealed class MessageCodec
{
    /// <summary>
    /// Types a reply may have, besides message and egress record types, and still be stored with the dedup record of a
    /// message sent with an idempotency key (so that a retried ask gets it after a restart).
    /// </summary>
    private static readonly MessageTypeDescriptor[] BuiltInReplyTypes =
    [
        new MessageTypeDescriptor<string>(MessageTypeNames.Of(typeof(string))),
        new MessageTypeDescriptor<bool>(MessageTypeNames.Of(typeof(bool))),
        new MessageTypeDescriptor<int>(MessageTypeNames.Of(typeof(int))),
        new MessageTypeDescriptor<long>(MessageTypeNames.Of(typeof(long))),
        new MessageTypeDescriptor<double>(MessageTypeNames.Of(typeof(double))),
        new MessageTypeDescriptor<decimal>(MessageTypeNames.Of(typeof(decimal))),
        new MessageTypeDescriptor<Guid>(MessageTypeNames.Of(typeof(Guid))),
        new MessageTypeDescriptor<DateTimeOffset>(MessageTypeNames.Of(typeof(DateTimeOffset))),
        new MessageTypeDescriptor<TimeSpan>(MessageTypeNames.Of(typeof(TimeSpan))),
        new MessageTypeDescriptor<byte[]>(MessageTypeNames.Of(typeof(byte[]))),
    ];

    private readonly Dictionary<Type, MessageTypeDescriptor> _byType = new();
    private readonly Dictionary<string, MessageTypeDescriptor> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, MessageTypeDescriptor> _replyTypes = new();
    private readonly TypeNameCache _typeNames = new();

    /// <param name="types">The message types and egress record types: each stable name names one CLR type.</param>
    /// <param name="replyTypes">The reply types the functions declare; one whose name is taken already is not stored.</param>
    public MessageCodec(IEnumerable<MessageTypeDescriptor> types, IEnumerable<MessageTypeDescriptor>? replyTypes = null)
    {
        foreach (var type in types)
        {
            if (_byName.TryGetValue(type.Name, out var existing) && existing.ClrType != type.ClrType)
            {
                throw new InvalidOperationException(
                    $"Two message types share the stable name '{type.Name}': {existing.ClrType.FullName} and {type.ClrType.FullName}. Pin distinct names with [MessageType(\"...\")].");
            }

            _byName[type.Name] = type;
            _byType[type.ClrType] = type;
        }

        foreach (var type in BuiltInReplyTypes.Concat(replyTypes ?? []))
        {
            if (_byName.TryAdd(type.Name, type) || _byName[type.Name].ClrType == type.ClrType)
            {
                _replyTypes.TryAdd(type.ClrType, type);
            }
        }
    }

    /// <summary>The text of a function type name, formatted once.</summary>
    public string TypeNameText(TypeName name) => _typeNames.Text(name);

    /// <summary>
    /// The largest message, reply or egress record, in serialized bytes: 15 MiB, so that each fits a LiteDB document
    /// (about 16 MiB) with what is stored beside it.
    /// </summary>
    public const int MaxStoredBytes = 15 * 1024 * 1024;

    /// <summary>The stored form of a message or egress record; throws a clear error when it cannot be stored.</summary>
    public StoredForm Serialize(object value)
    {
        var descriptor = Find(value.GetType());
        byte[] bytes;
        try
        {
            bytes = descriptor.Serialize(value);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"A {value.GetType().FullName} cannot be stored (as '{descriptor.Name}'): {exception.Message} Make it serializable with [MemoryPackable].",
                exception);
        }

        return bytes.Length <= MaxStoredBytes
            ? new StoredForm(descriptor.Name, bytes)
            : throw new InvalidOperationException(
                $"A {value.GetType().FullName} of {bytes.Length:N0} bytes cannot be stored: a message, reply or egress record is at most {MaxStoredBytes:N0} bytes. Keep large values elsewhere and send a reference to them.");
    }

    /// <summary>
    /// Makes the stored form of everything a handler sends and emits, on the handler's shard: a value that cannot
    /// be stored fails the handler (retried, then dead-lettered) instead of the group commit shared by everyone.
    /// </summary>
    /// <remarks>
    /// With <paramref name="keepReply"/> (the message was sent with an idempotency key), also the stored form of the
    /// reply, when its type can be stored; a reply that cannot be stored is kept in memory only and fails nothing.
    /// </remarks>
    public void Prepare(Effects effects, bool keepReply = false)
    {
        effects.StoredReply = keepReply && effects.HasReply && effects.Reply is { } reply ? TrySerializeReply(reply) : null;
        foreach (var answer in effects.Answers)
        {
            if (answer.Route.Kind == ReplyRouteKind.Keyed && answer.Value is { } value)
            {
                answer.Stored = TrySerializeReply(value);
            }
        }

        foreach (var send in effects.Sends)
        {
            send.Stored = Serialize(send.Message);
        }

        foreach (var delayed in effects.Delayed)
        {
            if (!delayed.IsCancellation)
            {
                delayed.Envelope.Stored = Serialize(delayed.Envelope.Message);
            }
        }

        effects.StoredEgress.Clear();
        foreach (var (_, record) in effects.Egress)
        {
            effects.StoredEgress.Add(Serialize(record));
        }
    }

    /// <summary>The stored form of a reply, or null when its type is neither a message, egress record nor built-in reply type.</summary>
    public StoredForm? TrySerializeReply(object reply)
    {
        var descriptor = _replyTypes.GetValueOrDefault(reply.GetType()) ?? TryFind(reply.GetType());
        if (descriptor is null)
        {
            return null;
        }

        try
        {
            return new StoredForm(descriptor.Name, descriptor.Serialize(reply));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    public object Deserialize(string name, byte[] bytes, string where)
    {
        if (!_byName.TryGetValue(name, out var descriptor))
        {
            throw new InvalidDataException($"{where} holds a message of type '{name}', which no registered function handles and no egress carries.");
        }

        try
        {
            return descriptor.Deserialize(bytes);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"{where} holds a '{name}' that cannot be read as {descriptor.ClrType.FullName}: {exception.Message}", exception);
        }
    }

    public LoggedMessage Encode(Envelope envelope)
    {
        var (name, bytes) = envelope.Stored ?? Serialize(envelope.Message);
        envelope.Stored = null; // written once; a later dead letter serializes again rather than keep the bytes
        return new LoggedMessage(
            envelope.Id,
            _typeNames.Text(envelope.Target.Type),
            envelope.Target.Id,
            envelope.Caller is { } caller ? _typeNames.Text(caller.Type) : null,
            envelope.Caller?.Id,
            name,
            bytes,
            envelope.Due?.ToUnixTimeMilliseconds() ?? 0,
            envelope.Token,
            envelope.TraceParent,
            envelope.Idempotency?.Key,
            envelope.Idempotency?.ExpiresAtUnixMs ?? 0,
            envelope.ReplyTo,
            envelope.AnswersAsk);
    }

    public Envelope Decode(LoggedMessage message)
    {
        var target = new Address(_typeNames.Parse(message.TargetType), message.TargetId);
        Address? caller = message.CallerType is null ? null : new Address(_typeNames.Parse(message.CallerType), message.CallerId!);
        var value = Deserialize(message.MessageType, message.Payload, $"Pending message {message.Id} to {target}");
        return new Envelope(target, caller, value, reply: null)
        {
            Id = message.Id,
            Due = message.DueUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(message.DueUnixMs),
            Token = message.Token,
            TraceParent = message.TraceParent,
            ReplyTo = message.ReplyTo,
            AnswersAsk = message.AnswersAsk,
        };
    }

    /// <summary>The descriptor of the message type named <paramref name="name"/>, or null when none is registered.</summary>
    public MessageTypeDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    private MessageTypeDescriptor Find(Type type) =>
        TryFind(type) ?? throw new InvalidOperationException(
            $"{type.FullName} cannot be stored: it is neither a message type a function handles nor the record type of an egress.");

    private MessageTypeDescriptor? TryFind(Type type)
    {
        if (_byType.TryGetValue(type, out var exact))
        {
            return exact;
        }

        // A message of a derived type sent to a handler of its base: stored under the base's descriptor.
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (_byType.TryGetValue(baseType, out var handled))
            {
                return handled;
            }
        }

        return null;
    }
}

/// <summary>A message or egress record as stored: its stable type name and its MemoryPack bytes.</summary>
internal readonly record struct StoredForm(string Name, byte[] Bytes);

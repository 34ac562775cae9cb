using System.Collections.Concurrent;
using StatefulFunctions.Diagnostics;
using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>A registered function type with what the runtime derives from its descriptor once.</summary>
internal sealed class FunctionType
{
    private readonly HashSet<Type> _handledExactly;
    private readonly ConcurrentDictionary<Type, HandlerSpan> _spans = new();

    public FunctionType(FunctionDescriptor descriptor)
    {
        Descriptor = descriptor;
        _handledExactly = descriptor.MessageTypes.Select(m => m.ClrType).ToHashSet();

        // The state a fresh instance starts with: field initializers included. Members absent from stored state
        // are read from here, so a pooled object never keeps the previous address's values.
        var writer = new StateWriter();
        writer.Begin(committed: null);
        try
        {
            descriptor.Factory().WriteState(writer);
        }
        catch (StateSerializationException exception)
        {
            // At start, before any message: name the function, not only its member (SFN0014/SFN0022 say it at build).
            throw new InvalidOperationException(
                $"Function type '{descriptor.TypeName}' ({descriptor.FunctionType.FullName}) cannot be registered: the state a new instance starts with cannot be stored. {exception.Message}. Persist a type MemoryPack can serialize (see the SFN0014 and SFN0022 warnings of the build).",
                exception);
        }
        // Without the type fingerprints: those are stored with a value, and only describe the bytes stored with them.
        var initial = writer.Changed ?? new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in initial.Keys.Where(static key => key.StartsWith(StateFingerprint.KeyPrefix, StringComparison.Ordinal)).ToList())
        {
            initial.Remove(key);
        }

        InitialState = initial;
        Expiry = new Expiry(descriptor.PersistedValues, InitialState);
        TagValue = descriptor.TypeName.ToString();
        SendSpanName = "send " + TagValue;
        AskSpanName = "ask " + TagValue;
    }

    /// <summary>The type name as text (<c>namespace/name</c>), formatted once for metric tags and span names.</summary>
    public string TagValue { get; }

    /// <summary>The name of the producer span of a client's <c>SendAsync</c> to this function type.</summary>
    public string SendSpanName { get; }

    /// <summary>The name of the producer span of a client's <c>AskAsync</c> to this function type.</summary>
    public string AskSpanName { get; }

    /// <summary>The time to live of the members that have one.</summary>
    public Expiry Expiry { get; }

    public FunctionDescriptor Descriptor { get; }

    /// <summary>The category of the handlers' logger (<see cref="IContext.Logger"/>): the function class's full name, as for an <c>ILogger&lt;T&gt;</c>.</summary>
    public string LoggerCategory => Descriptor.FunctionType.FullName!.Replace('+', '.');

    public TypeName Name => Descriptor.TypeName;

    public IReadOnlyDictionary<string, byte[]> InitialState { get; }

    /// <summary>Throws when the function has no handler for the message's type.</summary>
    public void CheckHandles(object message)
    {
        if (!Handles(message.GetType()))
        {
            throw new InvalidOperationException(
                $"Function '{Name}' ({Descriptor.FunctionType.FullName}) does not handle messages of type {message.GetType().FullName}.");
        }
    }

    /// <summary>The span name and stable message type name of this function handling <paramref name="messageType"/>; made once per message type.</summary>
    public HandlerSpan SpanOf(Type messageType) =>
        _spans.GetOrAdd(messageType, static (type, self) =>
        {
            var stable = self.Descriptor.MessageTypes.FirstOrDefault(m => m.ClrType == type)
                ?? self.Descriptor.MessageTypes.FirstOrDefault(m => m.ClrType.IsAssignableFrom(type));
            return new HandlerSpan($"{self.TagValue} handle {type.Name}", stable?.Name ?? type.FullName ?? type.Name);
        }, this);

    public bool Handles(Type messageType)
    {
        if (_handledExactly.Contains(messageType))
        {
            return true;
        }

        foreach (var handled in Descriptor.MessageTypes)
        {
            if (handled.ClrType.IsAssignableFrom(messageType))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections;
using Microsoft.Extensions.Logging;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The logger a handler gets from <see cref="IContext.Logger"/>: the function type's logger, with each record in a
/// scope naming the address and the message type (opened only for a record that is written).
/// </summary>
internal sealed class HandlerLogger(ILogger inner, Address address, Type messageType) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        using (inner.BeginScope(new HandlerScope(address, messageType)))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>The scope's values, as structured logging reads them: <c>Address</c> and <c>MessageType</c>.</summary>
    private sealed class HandlerScope(Address address, Type messageType) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Address", address.ToString()),
            1 => new("MessageType", messageType.FullName),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{address} handling {messageType.FullName}";
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>Keeps every log entry of a server, at every level, to assert what was logged and how loudly.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    /// <summary>
    /// True for Kestrel's warning that its heartbeat ran late (thread pool starvation): it says the machine is busy,
    /// not that a request was handled loudly, and comes on a loaded 2-core machine at any time.
    /// </summary>
    public static bool IsMachineLoad(LogEntry entry) =>
        entry.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && entry.Message.Contains("heartbeat", StringComparison.OrdinalIgnoreCase);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception)));
    }
}

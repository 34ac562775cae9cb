using Microsoft.Extensions.Logging;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>One log entry kept by <see cref="LogCapture"/>.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message);

using Microsoft.Extensions.Logging;

namespace StatefulFunctions;

// The runtime's log events.
public sealed partial class StatefulFunctionsRuntime
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Stateful functions runtime started: {FunctionTypes} function type(s) on {Shards} shard(s)")]
    private static partial void LogStarted(ILogger logger, int functionTypes, int shards);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Stopping before the runtime was idle: {Pending} message(s) still queued or running")]
    private static partial void LogStopTimedOut(ILogger logger, long pending);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Message {MessageType} to {Address} was dead-lettered after {Attempts} attempt(s)")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, Address address, string? messageType, int attempts);


    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Stopping without waiting longer for the {What}: they did not finish within the stop timeout")]
    private static partial void LogStopLeftBehind(ILogger logger, string what);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "Stopped after a durable storage failure ({Failure}); the next start recovers from the commit log")]
    private static partial void LogStoppedAfterFailure(ILogger logger, string failure);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Ingress {Ingress} failed and stopped reading")]
    private static partial void LogIngressFailed(ILogger logger, Exception exception, TypeName ingress);
}

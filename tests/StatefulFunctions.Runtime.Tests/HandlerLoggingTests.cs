using Microsoft.Extensions.Logging;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Testing;

namespace StatefulFunctions.Runtime.Tests;

/// <summary><c>context.Logger</c>: the function class's category, and a scope naming the address and the message type.</summary>
public sealed class HandlerLoggingTests
{
    [Fact]
    public async Task A_handler_logs_under_its_class_in_a_scope_with_the_address_and_message_type()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Information));
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], loggerFactory: factory);
        await runtime.StartAsync();

        await runtime.Client.SendAsync(Wallet.At("w1").Untyped, new Rename("ada"));
        await runtime.WhenIdleAsync();

        var record = Assert.Single(capture.Records, r => r.Category == typeof(Wallet).FullName);
        Assert.Equal("Renamed to ada", record.Message);
        Assert.Equal("tests/wallet/w1", record.Scope["Address"]);
        Assert.Equal(typeof(Rename).FullName, record.Scope["MessageType"]);
    }

    [Fact]
    public async Task The_harness_writes_a_handlers_log_to_the_factory_it_is_given()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Information));
        var wallet = new FunctionTestHarness<Wallet>("w2") { LoggerFactory = factory };

        await wallet.InvokeAsync(new Rename("grace"));

        var record = Assert.Single(capture.Records);
        Assert.Equal((typeof(Wallet).FullName, "Renamed to grace", "tests/wallet/w2"), (record.Category, record.Message, record.Scope["Address"]));
    }

    /// <summary>Keeps every record with its category and the values of the scopes open when it was written.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly AsyncLocal<Dictionary<string, object?>?> _scope = new();
        private readonly List<Captured> _records = new();

        public IReadOnlyList<Captured> Records
        {
            get
            {
                lock (_records)
                {
                    return _records.ToList();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        public sealed record Captured(string Category, string Message, IReadOnlyDictionary<string, object?> Scope);

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable BeginScope<TState>(TState state)
                where TState : notnull
            {
                var outer = provider._scope.Value;
                var inner = new Dictionary<string, object?>(outer ?? new Dictionary<string, object?>());
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        inner[key] = value;
                    }
                }

                provider._scope.Value = inner;
                return new Restore(() => provider._scope.Value = outer);
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (provider._records)
                {
                    provider._records.Add(new Captured(category, formatter(state, exception), provider._scope.Value ?? new Dictionary<string, object?>()));
                }
            }
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}

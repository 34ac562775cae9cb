using System.Diagnostics;
using System.Globalization;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage.Tests.LogWriter;

namespace StatefulFunctions.Storage.Tests;

/// <summary>
/// A real writer process is killed with SIGKILL at a random moment, five times on the same log: every record it
/// reported durable must come back intact, and numbering must continue without a gap.
/// </summary>
public sealed class CommitLogCrashTests : IDisposable
{
    private const long SegmentBytes = 64 * 1024;

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Records_reported_durable_survive_a_writer_killed_with_SIGKILL_five_times_in_a_row()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "StatefulFunctions.Storage.Tests.LogWriter.dll");
        Assert.True(File.Exists(writer), $"The log writer was not built beside the tests: {writer}");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var durable = 0L;

        for (var round = 1; round <= 5; round++)
        {
            var context = $"round {round}, seed {seed}";
            var reported = await RunAndKillAsync(writer, random.Next(), TimeSpan.FromMilliseconds(random.Next(20, 400)), context);
            Assert.True(reported > durable, $"{context}: the writer reported nothing new ({reported} <= {durable})");
            durable = reported;

            using var log = CommitLog.Open(_folder.Path, new CommitLogOptions { SegmentBytes = SegmentBytes });
            var expected = 1L;
            foreach (var record in log.ReadFrom(1))
            {
                Assert.True(record.Lsn == expected, $"{context}: expected LSN {expected}, read {record.Lsn}");
                Assert.True(record.Payload.Span.SequenceEqual(RecordPayload.Create(record.Lsn)), $"{context}: the payload of LSN {record.Lsn} differs");
                expected++;
            }

            Assert.True(expected - 1 >= durable, $"{context}: LSN {durable} was reported durable, but the log ends at {expected - 1}");
            Assert.Equal(expected, log.NextLsn);
        }
    }

    /// <summary>Runs the writer until it has reported a first durable flush, lets it run a little longer, kills it, and returns the last LSN it reported durable.</summary>
    private async Task<long> RunAndKillAsync(string writer, int seed, TimeSpan runFor, string context)
    {
        var start = new ProcessStartInfo("dotnet", [writer, "write", _folder.Path, SegmentBytes.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var firstDurable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastDurable = 0L;
        var reader = Task.Run(async () =>
        {
            // Only whole lines count: a line cut short by the kill proves nothing.
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["durable", var lsn, "ok"])
                {
                    lastDurable = long.Parse(lsn, CultureInfo.InvariantCulture);
                    firstDurable.TrySetResult();
                }
            }
        });

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(firstDurable.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == firstDurable.Task, $"{context}: the writer never reported a durable flush (exited: {process.HasExited}); stderr:\n{(process.HasExited ? await errors : "")}");
        await Task.Delay(runFor);
        Assert.False(process.HasExited, $"{context}: the writer stopped on its own; stderr:\n{(process.HasExited ? await errors : "")}");

        process.Kill(entireProcessTree: true); // SIGKILL on Linux: no finalizers, no flush, no cleanup.
        await exited;
        await reader;
        _ = await errors;
        return lastDurable;
    }
}

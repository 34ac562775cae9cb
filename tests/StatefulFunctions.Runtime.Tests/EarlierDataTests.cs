using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using MemoryPack;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Data directories written by an earlier version and left by a crash (Fixtures/README.md): records that version could
/// not checkpoint, so it stopped, and stopped again after every restart. Today's runtime recovers them, checkpoints,
/// and serves.
/// </summary>
public sealed class EarlierDataTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-earlier-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task A_data_directory_holding_an_id_too_long_for_a_LiteDB_key_starts_checkpoints_and_serves()
    {
        await ExtractAsync("long-id-from-0.1.tar.gz");
        var longId = FixtureCounter.At(new string('v', 1010)).Untyped;
        var shortId = FixtureCounter.At("short").Untyped;

        using (var store = new LiteDbStateStore(DbPath))
        {
            var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store);
            await runtime.StartAsync();
            Assert.Equal(3, await AddAsync(runtime, shortId, 0));
            Assert.Equal(6, await AddAsync(runtime, longId, 1));
            await runtime.StopAsync();

            // The final checkpoint of the stop stored both: today's version hashes a key LiteDB cannot index.
            Assert.Null(runtime.StorageFailure);
            Assert.True(store.CheckpointLsn > 0);
            await runtime.DisposeAsync();
        }

        using (var store = new LiteDbStateStore(DbPath))
        {
            await using var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store);
            await runtime.StartAsync();
            Assert.Equal(7, await AddAsync(runtime, longId, 1));
            Assert.Equal(4, await AddAsync(runtime, shortId, 1));
            Assert.True(runtime.IsAcceptingWork);
        }

        // The file, created with LiteDB's default collation (ignoring case), was rebuilt to compare keys ordinally.
        using var raw = new LiteDB.LiteDatabase(DbPath);
        Assert.EndsWith("/Ordinal", raw.Pragma("COLLATION").AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_holding_a_state_LiteDB_cannot_hold_starts_sets_that_state_aside_with_the_reason_and_serves()
    {
        await ExtractAsync("big-state-from-0.1.tar.gz");
        var blob = FixtureBlob.At("big").Untyped;
        var shortId = FixtureCounter.At("short").Untyped;

        string quarantine;
        using (var store = new LiteDbStateStore(DbPath))
        {
            quarantine = store.QuarantinePath;
            var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store);
            await runtime.StartAsync();
            Assert.Equal(17 * 1024 * 1024, await runtime.Client.AskAsync<long>(blob, new FixtureFill(-1), HangGuard));
            Assert.Equal(3, await AddAsync(runtime, shortId, 0));
            await runtime.StopAsync();

            // The final checkpoint stored everything but the blob's state, and the runtime did not fail on it.
            Assert.Null(runtime.StorageFailure);
            Assert.True(store.CheckpointLsn > 0);
            await runtime.DisposeAsync();
        }

        // The state LiteDB refused is in the quarantine folder, with what it is and why, and all its bytes.
        var file = Assert.Single(Directory.GetFiles(quarantine));
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(file)))
        {
            var root = json.RootElement;
            Assert.Equal("the state of fixture/blob/big", root.GetProperty("what").GetString());
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("reason").GetString()));
            var members = MemoryPackSerializer.Deserialize<Dictionary<string, byte[]>>(root.GetProperty("memoryPack").GetBytesFromBase64());
            Assert.Equal(17 * 1024 * 1024, MemoryPackSerializer.Deserialize<byte[]>(members!["data"])!.Length);
        }

        using (var store = new LiteDbStateStore(DbPath))
        {
            await using var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store);
            await runtime.StartAsync();
            Assert.Equal(4, await AddAsync(runtime, shortId, 1));
            Assert.Equal(0, await runtime.Client.AskAsync<long>(blob, new FixtureFill(-1), HangGuard));
            Assert.True(runtime.IsAcceptingWork);
        }
    }

    [Fact]
    public async Task Today_a_handler_that_would_leave_a_state_larger_than_LiteDB_holds_is_dead_lettered_naming_the_sizes_and_the_state_stays()
    {
        var blob = FixtureBlob.At("grows").Untyped;
        using var store = new LiteDbStateStore(DbPath);
        await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { RetryBackoff = _ => TimeSpan.Zero }, store);
        await runtime.StartAsync();
        Assert.Equal(1000, await runtime.Client.AskAsync<long>(blob, new FixtureFill(1000), HangGuard));
        Assert.Equal(LiteDbStateStore.MaxStateBytes - 64, await runtime.Client.AskAsync<long>(blob, new FixtureFill(LiteDbStateStore.MaxStateBytes - 64), HangGuard));

        await runtime.Client.SendAsync(blob, new FixtureFill(LiteDbStateStore.MaxStateBytes + 1));
        await runtime.WhenIdleAsync().WaitAsync(HangGuard);

        var deadLetter = Assert.Single(runtime.GetDeadLetters());
        var size = System.Text.RegularExpressions.Regex.Match(deadLetter.Exception, $"The state of {blob} would be ([0-9,]+) bytes after this message");
        Assert.True(size.Success, deadLetter.Exception);
        Assert.InRange(long.Parse(size.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture), LiteDbStateStore.MaxStateBytes + 1, LiteDbStateStore.MaxStateBytes + 100);
        Assert.Contains($"at most {LiteDbStateStore.MaxStateBytes:N0} bytes per instance", deadLetter.Exception, StringComparison.Ordinal);
        Assert.Equal(LiteDbStateStore.MaxStateBytes - 64, await runtime.Client.AskAsync<long>(blob, new FixtureFill(-1), HangGuard));
        Assert.Null(runtime.StorageFailure);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<long> AddAsync(StatefulFunctionsRuntime runtime, Address counter, long amount) =>
        runtime.Client.AskAsync<long>(counter, new FixtureAdd(amount), HangGuard);

    private async Task ExtractAsync(string fixture)
    {
        await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await TarFile.ExtractToDirectoryAsync(gzip, _folder, overwriteFiles: false);
    }
}

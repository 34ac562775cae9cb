using LiteDB;
using StatefulFunctions.Runtime;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The LiteDB checkpoint store on real files: round trips, and foreign or damaged files refused untouched.</summary>
public sealed class LiteDbStateStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-litedb-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task State_saved_with_its_log_position_reads_back_after_reopening()
    {
        var driver = new Address("rides/driver", "seth/with/slashes");
        var ride = new Address("rides/ride", "r1");
        using (var store = new LiteDbStateStore(DbPath))
        {
            Assert.Equal(0, store.CheckpointLsn);
            await store.SaveAsync(
                [new StateChange(driver, new Dictionary<string, byte[]> { ["status"] = [1, 2, 3], ["empty"] = [] }),
                 new StateChange(ride, new Dictionary<string, byte[]> { ["x"] = [9] })],
                lsn: 42,
                CancellationToken.None);
            await store.SaveAsync([new StateChange(ride, null)], lsn: 43, CancellationToken.None);
        }

        using var reopened = new LiteDbStateStore(DbPath);
        Assert.Equal(43, reopened.CheckpointLsn);
        var state = await reopened.LoadAsync(driver, CancellationToken.None);
        Assert.NotNull(state);
        Assert.Equal([1, 2, 3], state["status"]);
        Assert.Empty(state["empty"]);
        Assert.Null(await reopened.LoadAsync(ride, CancellationToken.None));
        Assert.Null(await reopened.LoadAsync(new Address("rides/driver", "nobody"), CancellationToken.None));
    }

    [Fact]
    public async Task Keys_on_both_sides_of_LiteDBs_index_limit_are_saved_merged_deleted_and_read_back_after_reopening()
    {
        // "tests/counter/" is 14 bytes: ids of 1,007 and 1,008 bytes give keys of 1,021 (the longest LiteDB indexes) and 1,022.
        var lengths = new[] { 1, 1007, 1008, 1009, 1010, 1024, 4000 };
        var addresses = lengths.Select(n => Counter.At(n < 3000 ? new string('k', n) : new string('€', n / 3) + new string('k', n % 3)).Untyped).ToList();
        using (var store = new LiteDbStateStore(DbPath))
        {
            await store.SaveAsync([.. addresses.Select((a, i) => new StateChange(a, new Dictionary<string, byte[]> { ["count"] = [(byte)i] }))], lsn: 1, CancellationToken.None);
            store.WriteCheckpoint(Work(2, new()
            {
                [addresses[2]] = new() { ["more"] = [42] },
                [addresses[3]] = new() { ["more"] = [43] },
            }));
            await store.SaveAsync([new StateChange(addresses[4], null)], lsn: 3, CancellationToken.None);
        }

        using var reopened = new LiteDbStateStore(DbPath);
        for (var i = 0; i < addresses.Count; i++)
        {
            var state = await reopened.LoadAsync(addresses[i], CancellationToken.None);
            if (i == 4)
            {
                Assert.Null(state);
                continue;
            }

            Assert.NotNull(state);
            Assert.Equal([(byte)i], state["count"]);
            Assert.Equal(i is 2 or 3 ? [(byte)(40 + i)] : null, state.GetValueOrDefault("more"));
        }

        // Neither an address one character off nor the text of a hashed document id finds anything.
        Assert.Null(await reopened.LoadAsync(Counter.At(addresses[5].Id[..^1]).Untyped, CancellationToken.None));
    }

    [Fact]
    public async Task Ids_that_differ_only_in_case_or_by_culture_are_different_instances()
    {
        // LiteDB's default collation (the culture's, ignoring case) made "Ada" and "ada" one document.
        string[] ids = ["Ada", "ada", "ADA", "strasse", "straße", "co\u00ADop", "coop", "e\u0301", "\u00E9"];
        var addresses = ids.Select(id => Counter.At(id).Untyped).ToList();
        using (var store = new LiteDbStateStore(DbPath))
        {
            await store.SaveAsync([.. addresses.Select((a, i) => new StateChange(a, new Dictionary<string, byte[]> { ["count"] = [(byte)i] }))], lsn: 1, CancellationToken.None);
            store.WriteCheckpoint(Work(2, addresses.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => new Dictionary<string, byte[]> { ["more"] = [(byte)(100 + p.i)] })));
        }

        using var reopened = new LiteDbStateStore(DbPath);
        for (var i = 0; i < addresses.Count; i++)
        {
            var state = await reopened.LoadAsync(addresses[i], CancellationToken.None);
            Assert.NotNull(state);
            Assert.Equal([(byte)i], state["count"]);
            Assert.Equal([(byte)(100 + i)], state["more"]);
        }
    }

    [Fact]
    public async Task A_state_LiteDB_refuses_is_set_aside_whole_and_the_rest_of_its_chunk_pending_messages_included_is_stored()
    {
        var big = Counter.At("big").Untyped;
        var small = Counter.At("small").Untyped;
        static LoggedMessage Pending(long id) => new(id, "tests/counter", "p", null, null, "StatefulFunctions.Runtime.Tests.Functions.Increment", [1, 2], 0, null);
        using (var store = new LiteDbStateStore(DbPath))
        {
            Assert.Empty(store.WriteCheckpoint(Work(1, new() { [big] = new() { ["kept"] = [7] } }) with { PendingAdded = [Pending(1), Pending(2)] }));

            // One chunk: a state over LiteDB's document limit, another state, a pending message added and one removed.
            var quarantined = store.WriteCheckpoint(Work(2, new()
            {
                [big] = new() { ["data"] = new byte[17 * 1024 * 1024] },
                [small] = new() { ["count"] = [3] },
            }) with { PendingAdded = [Pending(3)], PendingRemoved = [1] });

            var record = Assert.Single(quarantined);
            Assert.Equal("the state of tests/counter/big", record.What);
            Assert.StartsWith("Document size exceed", record.Reason, StringComparison.Ordinal);
            Assert.Equal(2, store.CheckpointLsn);

            // The file holds the whole state the write would have left: the stored member and the new one.
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(record.File));
            var members = MemoryPack.MemoryPackSerializer.Deserialize<Dictionary<string, byte[]>>(json.RootElement.GetProperty("memoryPack").GetBytesFromBase64())!;
            Assert.Equal([7], members["kept"]);
            Assert.Equal(17 * 1024 * 1024, members["data"].Length);
        }

        using var reopened = new LiteDbStateStore(DbPath);
        Assert.Equal([3], (await reopened.LoadAsync(small, CancellationToken.None))!["count"]);
        Assert.Equal([7], (await reopened.LoadAsync(big, CancellationToken.None))!["kept"]);
        Assert.Equal([2L, 3L], reopened.ReadCheckpoint(0).Pending.Select(m => m.Id).Order());
    }

    [Theory]
    [InlineData(30)]
    [InlineData(20_000)]
    public void A_file_that_is_not_a_LiteDB_database_is_refused_and_left_untouched(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
        File.WriteAllBytes(DbPath, bytes);

        var error = Assert.Throws<InvalidDataException>(() => new LiteDbStateStore(DbPath));

        Assert.Contains(DbPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a LiteDB database file", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public void A_folder_given_as_the_database_path_is_refused_naming_it_and_nothing_is_created()
    {
        var error = Assert.Throws<IOException>(() => new LiteDbStateStore(_folder));

        Assert.Equal($"The state store '{_folder}' is a folder: UseLiteDb takes the path of a database file, e.g. '{Path.Combine(_folder, "app.db")}'.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void A_database_path_under_a_file_is_refused_naming_that_file_and_the_file_is_left_as_it_is()
    {
        var file = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(file, "mine");

        var error = Assert.Throws<IOException>(() => new LiteDbStateStore(Path.Combine(file, "data", "app.db")));

        Assert.Contains($"'{file}' is a file, not a folder", error.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public async Task A_database_file_open_in_another_runtime_is_refused_saying_so_and_the_first_keeps_working()
    {
        var address = new Address(new TypeName("test", "counter"), "kept");
        using var first = new LiteDbStateStore(DbPath);

        var error = Assert.Throws<IOException>(() => new LiteDbStateStore(DbPath));

        Assert.Equal($"The state store '{DbPath}' is open in another runtime (in this process or another one; '{DbPath}.lock' is held): one runtime at a time can use a database file. Stop the other one, or point UseLiteDb at another file.", error.Message);
        await first.SaveAsync([new StateChange(address, new Dictionary<string, byte[]> { ["count"] = [4] })], CancellationToken.None);
        Assert.Equal([4], (await first.LoadAsync(address, CancellationToken.None))!["count"]);
    }

    [Fact]
    public async Task A_stored_member_that_is_not_binary_gives_an_error_naming_the_address_and_member()
    {
        using (var store = new LiteDbStateStore(DbPath))
        {
            await store.SaveAsync([new StateChange(Counter.At("odd").Untyped, new Dictionary<string, byte[]> { ["count"] = [1] })], lsn: 1, CancellationToken.None);
        }

        // Damaged behind the store's back: the member is no longer binary.
        using (var raw = new LiteDatabase(DbPath))
        {
            raw.GetCollection("state").Upsert(new BsonDocument { ["_id"] = "tests/counter/odd", ["m"] = new BsonDocument { ["count"] = "not bytes" } });
        }

        using var reopened = new LiteDbStateStore(DbPath);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reopened.LoadAsync(Counter.At("odd").Untyped, CancellationToken.None));
        Assert.Contains("Member 'count' of the stored state of tests/counter/odd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_swapped_out_to_LiteDB_under_a_tiny_cache_bound_read_back_equal()
    {
        using var store = new LiteDbStateStore(DbPath);
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2, CacheBytes = 4 * 1024 }, store))
        {
            await runtime.StartAsync();
            for (var round = 0; round < 3; round++)
            {
                for (var i = 0; i < 300; i++)
                {
                    await runtime.Client.SendAsync(Person.At($"p{i}").Untyped, new SetProfile($"name {i}", round, new string('z', i)));
                }
            }

            await runtime.WhenIdleAsync();
            Assert.InRange(await runtime.CountWarmAsync(), 1, 100);
            await runtime.StopAsync();
        }

        for (var i = 0; i < 300; i++)
        {
            var state = await store.LoadAsync(Person.At($"p{i}").Untyped, CancellationToken.None);
            Assert.NotNull(state);
            Assert.Equal(new Profile($"name {i}", 2, new string('z', i)), MemoryPack.MemoryPackSerializer.Deserialize<Profile>(state["profile"]));
            Assert.Equal(3, MemoryPack.MemoryPackSerializer.Deserialize<int>(state["updates"]));
        }
    }

    [Fact]
    public async Task Swap_out_to_LiteDB_under_a_tiny_cache_bound_with_both_cores_busy_reads_every_value_back()
    {
        const int People = 200;
        using var store = new LiteDbStateStore(DbPath);
        using var stop = new CancellationTokenSource();

        // Keeps every core busy, so loads, commits and the background checkpoints (every 5 s) interleave unpredictably.
        var burners = Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount))
            .Select(_ => Task.Factory.StartNew(() => { while (!stop.IsCancellationRequested) { Thread.SpinWait(10_000); } }, TaskCreationOptions.LongRunning))
            .ToList();
        var rounds = 0;
        try
        {
            await using var runtime = new StatefulFunctionsRuntime([new TestModule()], new StatefulFunctionsOptions { ShardCount = 2, CacheBytes = 4 * 1024 }, store);
            await runtime.StartAsync();

            // Bounded by count and by time (long enough for two background checkpoints); nothing is asserted on timing.
            var running = System.Diagnostics.Stopwatch.StartNew();
            for (; rounds < 500 && (rounds < 3 || running.Elapsed < TimeSpan.FromSeconds(11)); rounds++)
            {
                var round = rounds;
                await Task.WhenAll(Enumerable.Range(0, People)
                    .Select(i => runtime.Client.SendAsync(Person.At($"p{i}").Untyped, new SetProfile($"name {i}", round, new string('z', i % 64))).AsTask())
                    .ToList());
            }

            await runtime.WhenIdleAsync();
            await runtime.StopAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(burners);
        }

        for (var i = 0; i < People; i++)
        {
            var state = await store.LoadAsync(Person.At($"p{i}").Untyped, CancellationToken.None);
            Assert.NotNull(state);
            Assert.Equal(new Profile($"name {i}", rounds - 1, new string('z', i % 64)), MemoryPack.MemoryPackSerializer.Deserialize<Profile>(state["profile"]));
            Assert.Equal(rounds, MemoryPack.MemoryPackSerializer.Deserialize<int>(state["updates"]));
        }
    }

    [Theory]
    [InlineData("save")]
    [InlineData("checkpoint")]
    public async Task A_LiteDB_checkpoint_while_a_cold_load_is_reading_waits_for_it_and_both_succeed(string durableBy)
    {
        var cold = Person.At("cold").Untyped;
        var written = Person.At("written").Untyped;
        using var store = new LiteDbStateStore(DbPath);
        await store.SaveAsync([new StateChange(cold, new Dictionary<string, byte[]> { ["profile"] = [1, 2, 3] })], lsn: 1, CancellationToken.None);
        using var reading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.WhileReading = _ =>
        {
            reading.Set();
            release.Wait(TimeSpan.FromMinutes(1));
        };

        var load = Task.Run(async () => await store.LoadAsync(cold, CancellationToken.None));
        Assert.True(reading.Wait(TimeSpan.FromMinutes(1)), "the load never reached its read");
        store.WhileReading = null;

        // Either way of making LiteDB's commits durable ends in LiteDatabase.Checkpoint(), which needs no page in use.
        var checkpoint = Task.Run(async () =>
        {
            var members = new Dictionary<string, byte[]> { ["profile"] = [4, 5] };
            if (durableBy == "save")
            {
                await store.SaveAsync([new StateChange(written, members)], lsn: 2, CancellationToken.None);
            }
            else
            {
                store.WriteCheckpoint(Work(lsn: 2, new() { [written] = members }));
            }
        });

        // The checkpoint waits for the read (it cannot finish while the load is held inside it); it must not fail.
        await Task.WhenAny(checkpoint, Task.Delay(TimeSpan.FromMilliseconds(500)));
        if (checkpoint.IsCompleted)
        {
            await checkpoint; // a failed checkpoint throws its exception here
        }

        Assert.False(load.IsCompleted);
        release.Set();

        var loaded = await load;
        await checkpoint;
        Assert.NotNull(loaded);
        Assert.Equal([1, 2, 3], loaded["profile"]);
        Assert.Equal(2, store.CheckpointLsn);
        Assert.Equal([4, 5], (await store.LoadAsync(written, CancellationToken.None))?["profile"]);
    }

    [Fact]
    public async Task A_cold_load_waits_while_another_one_is_inside_LiteDB()
    {
        // LiteDB 5.0.20's page cache can recycle a buffer one reader has looked up but not yet pinned while another
        // reads (litedb-org/LiteDB#2817: "page type must be index page" on a store larger than the cache, seen in the
        // cold-load benchmark), so the store lets one load at a time into LiteDB.
        var first = Person.At("first").Untyped;
        var second = Person.At("second").Untyped;
        using var store = new LiteDbStateStore(DbPath);
        await store.SaveAsync(
            [new StateChange(first, new Dictionary<string, byte[]> { ["profile"] = [1] }),
             new StateChange(second, new Dictionary<string, byte[]> { ["profile"] = [2] })],
            lsn: 1,
            CancellationToken.None);
        using var reading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.WhileReading = key =>
        {
            if (key.EndsWith("/first", StringComparison.Ordinal))
            {
                reading.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            }
        };

        var paused = Task.Run(async () => await store.LoadAsync(first, CancellationToken.None));
        Assert.True(reading.Wait(TimeSpan.FromMinutes(1)), "the load never reached its read");
        var waiting = Task.Run(async () => await store.LoadAsync(second, CancellationToken.None));
        try
        {
            var done = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(300)));
            Assert.False(done == waiting, "the second load ran inside LiteDB beside the first");
        }
        finally
        {
            release.Set();
        }

        Assert.Equal([1], (await paused)?["profile"]);
        Assert.Equal([2], (await waiting)?["profile"]);
    }

    [Fact]
    public async Task Cold_loads_of_many_addresses_do_not_each_leave_a_compiled_query_in_LiteDB()
    {
        // LiteDB compiles a lambda for every expression text it has not seen and keeps it for the life of the process:
        // a look-up with the id written into its text cost ~1 ms and a cache entry per cold load (the cold-load
        // benchmark's first run handled 607 msgs/s).
        const int Addresses = 500;
        using var store = new LiteDbStateStore(DbPath);
        await store.SaveAsync(
            Enumerable.Range(0, Addresses).Select(i => new StateChange(Person.At($"p{i}").Untyped, new Dictionary<string, byte[]> { ["profile"] = [(byte)i] })).ToList(),
            lsn: 1,
            CancellationToken.None);

        var before = CompiledExpressions();
        for (var i = 0; i < Addresses; i++)
        {
            Assert.Equal(new byte[] { (byte)i }, (await store.LoadAsync(Person.At($"p{i}").Untyped, CancellationToken.None))?["profile"]);
        }

        // Other tests running beside this one may add a few of their own.
        Assert.InRange(CompiledExpressions() - before, 0, Addresses / 5);

        static int CompiledExpressions() =>
            new[] { "_cacheScalar", "_cacheEnumerable" }.Sum(name =>
                typeof(BsonExpression).GetField(name, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)?.GetValue(null) is System.Collections.ICollection cache
                    ? cache.Count
                    : throw new InvalidOperationException($"LiteDB's BsonExpression has no static {name} cache any more: look again at how this test counts compiled queries."));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CheckpointWork Work(long lsn, Dictionary<Address, Dictionary<string, byte[]>> states) => new()
    {
        Lsn = lsn,
        NextMessageId = 0,
        NextEgressId = 0,
        States = states,
        PendingAdded = [],
        PendingRemoved = [],
        EgressAdded = [],
        EgressRemoved = [],
        DeadLettersAdded = [],
        DeadLettersRemoved = [],
        IdempotencyKeysAdded = [],
        Replies = [],
        IdempotencyExpiredBeforeUnixMs = 0,
    };
}

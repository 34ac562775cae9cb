using System.Text;
using MemoryPack;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// A persisted member whose declared type changed since its value was stored ("version A" wrote it, <see cref="Evolved"/>
/// is "version B") is unreadable state: dead-lettered, never misread, and the stored bytes and fingerprint are kept.
/// </summary>
public sealed class StateTypeChangeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-types-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task On_LiteDB_decimal_long_and_string_members_now_declared_int_are_dead_lettered_and_version_A_still_reads_10()
    {
        // What version A ([Persisted] decimal _dec; long _long; string _text; all set to 10) stored.
        var dbPath = Path.Combine(_folder, "app.db");
        var address = Evolved.At("x").Untyped;
        var versionA = new Dictionary<string, byte[]>
        {
            ["dec"] = MemoryPackSerializer.Serialize(10m),
            [StateFingerprint.KeyOf("dec")] = Encoding.UTF8.GetBytes("decimal"),
            ["long"] = MemoryPackSerializer.Serialize(10L),
            [StateFingerprint.KeyOf("long")] = Encoding.UTF8.GetBytes("long"),
            ["text"] = MemoryPackSerializer.Serialize("10"),
            [StateFingerprint.KeyOf("text")] = Encoding.UTF8.GetBytes("string"),
        };
        using (var store = new LiteDbStateStore(dbPath))
        {
            await store.SaveAsync([new StateChange(address, versionA)], CancellationToken.None);
        }

        using (var store = new LiteDbStateStore(dbPath))
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(address, new Touch());
            await app.Client.SendAsync(address, new Touch());
            await app.RunUntilIdleAsync();
            Assert.Equal(2, app.DeadLetters.Count);
            Assert.All(app.DeadLetters, d => Assert.Contains(
                "Persisted state 'dec' of evo/counter/x was written as decimal and is now declared as int (System.Int32); the stored value was left as it is",
                d.Exception,
                StringComparison.Ordinal));
        }

        using (var store = new LiteDbStateStore(dbPath))
        {
            var stored = await store.LoadAsync(address, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(10m, MemoryPackSerializer.Deserialize<decimal>(stored["dec"]));
            Assert.Equal(10L, MemoryPackSerializer.Deserialize<long>(stored["long"]));
            Assert.Equal("10", MemoryPackSerializer.Deserialize<string>(stored["text"]));
            Assert.Equal("decimal", StateFingerprint.Stored(stored, "dec"));
            Assert.False(stored.ContainsKey("touched"));
        }
    }

    public static TheoryData<string, byte[], string?, string> Unreadable => new()
    {
        { "dec", MemoryPackSerializer.Serialize(10m), "decimal", "int" },
        { "long", MemoryPackSerializer.Serialize(10L), "long", "int" },
        { "text", MemoryPackSerializer.Serialize("10"), "string", "int" },
        { "wide", MemoryPackSerializer.Serialize(10), "int", "long" },
        { "lost", MemoryPackSerializer.Serialize(new EvoPairWithThird(10, 20, 30)), "EvoPair{First:int,Second:int,Third:int}", "EvoPair{First:int,Second:int}" },
        { "swapped", MemoryPackSerializer.Serialize(new EvoPair(10, 20)), "EvoPair{Second:int,First:int}", "EvoPair{First:int,Second:int}" },
        { "color", MemoryPackSerializer.Serialize(10), "enum EvoColor:int", "enum EvoColor:uint" },
        { "maybe", MemoryPackSerializer.Serialize(10), "int", "int?" },
        { "sure", MemoryPackSerializer.Serialize((int?)10), "int?", "int" },

        // State written before fingerprints: only the bytes tell, and they are not exactly one value of the type.
        { "dec", MemoryPackSerializer.Serialize(10m), null, "int" },
        { "long", MemoryPackSerializer.Serialize(10L), null, "int" },
        { "text", MemoryPackSerializer.Serialize("10"), null, "int" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_member_stored_as_another_type_is_dead_lettered_and_left_untouched(string name, byte[] bytes, string? storedType, string declared)
    {
        var address = Evolved.At("x").Untyped;
        var store = new InMemoryStateStore();
        var stored = new Dictionary<string, byte[]> { [name] = bytes };
        if (storedType is not null)
        {
            stored[StateFingerprint.KeyOf(name)] = Encoding.UTF8.GetBytes(storedType);
        }

        await store.SaveAsync([new StateChange(address, stored)], CancellationToken.None);
        await using (var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store))
        {
            await app.Client.SendAsync(address, new Touch());
            await app.RunUntilIdleAsync();

            var deadLetter = Assert.Single(app.DeadLetters);
            Assert.Contains($"Persisted state '{name}' of evo/counter/x", deadLetter.Exception, StringComparison.Ordinal);
            Assert.Contains(storedType is null ? declared : $"was written as {storedType} and is now declared as {declared}", deadLetter.Exception, StringComparison.Ordinal);
        }

        var after = await store.LoadAsync(address, CancellationToken.None);
        Assert.NotNull(after);
        Assert.Equal(stored.OrderBy(p => p.Key), after.OrderBy(p => p.Key), new StateEntryComparer());
    }

    [Fact]
    public async Task A_record_that_gained_a_trailing_field_loads_with_the_new_field_at_its_default_and_is_stored_with_its_new_fingerprint()
    {
        var address = Evolved.At("grown").Untyped;
        var store = new InMemoryStateStore();
        await store.SaveAsync(
            [new StateChange(address, new Dictionary<string, byte[]>
            {
                ["grown"] = MemoryPackSerializer.Serialize(new EvoGrownV1("ten")),
                [StateFingerprint.KeyOf("grown")] = Encoding.UTF8.GetBytes("EvoGrown{Name:string}"),
            })],
            CancellationToken.None);

        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store);
        var reply = await app.Client.AskAsync<string>(address, new Touch(), TimeSpan.FromSeconds(10));
        Assert.Contains("grown=EvoGrown { Name = ten, Count = 0 }", reply, StringComparison.Ordinal);
        Assert.Empty(app.DeadLetters);
        var state = await app.Runtime.ReadStateAsync(address);
        Assert.Equal("EvoGrown{Name:string,Count:int}", StateFingerprint.Stored(state!, "grown"));
    }

    [Fact]
    public async Task State_written_before_fingerprints_still_loads_and_gets_them_on_its_next_write()
    {
        var address = Evolved.At("old").Untyped;
        var store = new InMemoryStateStore();
        await store.SaveAsync([new StateChange(address, new Dictionary<string, byte[]> { ["dec"] = MemoryPackSerializer.Serialize(10) })], CancellationToken.None);

        await using var app = await Testing.TestApplication.StartAsync([new TestModule()], configure: null, store);
        var reply = await app.Client.AskAsync<string>(address, new Touch(), TimeSpan.FromSeconds(10));
        Assert.StartsWith("dec=10 ", reply, StringComparison.Ordinal);
        var state = await app.Runtime.ReadStateAsync(address);
        Assert.Equal("int", StateFingerprint.Stored(state!, "dec"));
        Assert.Equal("int?", StateFingerprint.Stored(state!, "maybe"));
    }

    private sealed class StateEntryComparer : IEqualityComparer<KeyValuePair<string, byte[]>>
    {
        public bool Equals(KeyValuePair<string, byte[]> x, KeyValuePair<string, byte[]> y) => x.Key == y.Key && x.Value.AsSpan().SequenceEqual(y.Value);

        public int GetHashCode(KeyValuePair<string, byte[]> obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}

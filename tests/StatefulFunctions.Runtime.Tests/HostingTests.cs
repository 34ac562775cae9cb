using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StatefulFunctions.Runtime.Tests.Functions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The runtime as a .NET developer hosts it: AddStatefulFunctions on a generic host.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task A_generic_host_starts_the_runtime_serves_the_client_and_stops_gracefully()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddStatefulFunctions(sf => sf.UseInMemoryStorage().AddModule<TestModule>().Configure(o => o.ShardCount = 2));
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
        for (var i = 0; i < 100; i++)
        {
            await client.SendAsync(Counter.At("hosted").Untyped, new Increment(1));
        }

        Assert.Equal(100, await client.AskAsync<int>(Counter.At("hosted").Untyped, new GetCount(), TimeSpan.FromSeconds(30)));
        await host.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.SendAsync(Counter.At("hosted").Untyped, new Increment(1)));
    }

    [Fact]
    public async Task A_module_added_by_type_is_created_from_the_application_services()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new GreetingPrefix("Hi "));
        builder.Services.AddStatefulFunctions(sf => sf.UseInMemoryStorage().AddModule<TestModule>().AddModule<PrefixIngressModule>());
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
        await client.IngestAsync(PrefixIngressModule.Names, "ada");
        await foreach (var count in client.ReadEgressAsync(TestModule.Counts))
        {
            Assert.Equal("Hi ada=1", count);
            break;
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task A_generic_host_with_UseLiteDb_keeps_state_across_host_restarts()
    {
        var folder = Directory.CreateTempSubdirectory("sf-host-").FullName;
        try
        {
            var path = Path.Combine(folder, "data", "app.db");
            for (var run = 1; run <= 2; run++)
            {
                var builder = Host.CreateApplicationBuilder();
                builder.Services.AddStatefulFunctions(sf => sf.UseLiteDb(path).AddModule<TestModule>());
                using var host = builder.Build();
                await host.StartAsync();
                var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
                await client.SendAsync(Counter.At("hosted").Untyped, new Increment(10));
                Assert.Equal(10 * run, await client.AskAsync<int>(Counter.At("hosted").Untyped, new GetCount(), TimeSpan.FromSeconds(30)));
                await host.StopAsync();
            }

            Assert.True(File.Exists(path));
            Assert.True(Directory.Exists(path + ".log"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, 64L * 1024 * 1024)]
    [InlineData(128L * 1024, 128L * 1024)]
    public async Task The_commit_log_segment_a_first_run_writes_has_the_configured_size(long? configured, long expected)
    {
        var folder = Directory.CreateTempSubdirectory("sf-host-").FullName;
        try
        {
            var path = Path.Combine(folder, "app.db");
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddStatefulFunctions(sf => sf.UseLiteDb(path).AddModule<TestModule>().Configure(o => o.CommitLogSegmentBytes = configured ?? o.CommitLogSegmentBytes));
            using (var host = builder.Build())
            {
                await host.StartAsync();
                var client = host.Services.GetRequiredService<IStatefulFunctionsClient>();
                await client.SendAsync(Counter.At("sized").Untyped, new Increment(1));
                Assert.Equal(1, await client.AskAsync<int>(Counter.At("sized").Untyped, new GetCount(), TimeSpan.FromSeconds(30)));
                await host.StopAsync();
            }

            var segment = Assert.Single(Directory.GetFiles(path + ".log"));
            Assert.Equal(expected, new FileInfo(segment).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(65_535L)]
    [InlineData((1L << 30) + 1)]
    public async Task A_commit_log_segment_size_out_of_range_is_refused_at_start_naming_the_option(long bytes)
    {
        var folder = Directory.CreateTempSubdirectory("sf-host-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddStatefulFunctions(sf => sf.UseLiteDb(Path.Combine(folder, "app.db")).AddModule<TestModule>().Configure(o => o.CommitLogSegmentBytes = bytes));
            using var host = builder.Build();

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

            Assert.Equal($"StatefulFunctionsOptions.CommitLogSegmentBytes must be between 64 KiB (65,536) and 1 GiB (1,073,741,824) (was {bytes:N0}).", error.Message);
            Assert.False(Directory.Exists(Path.Combine(folder, "app.db.log")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Warm_state_is_written_to_the_store_when_the_runtime_stops()
    {
        var store = new Storage.InMemoryStateStore();
        await using (var runtime = new StatefulFunctionsRuntime([new TestModule()], store: store))
        {
            await runtime.StartAsync();
            await runtime.Client.SendAsync(Counter.At("kept").Untyped, new Increment(7));
            await runtime.StopAsync();
        }

        await using var restarted = new StatefulFunctionsRuntime([new TestModule()], store: store);
        await restarted.StartAsync();
        Assert.Equal(7, await restarted.Client.AskAsync<int>(Counter.At("kept").Untyped, new GetCount(), TimeSpan.FromSeconds(30)));
    }
}

/// <summary>A service the module below needs.</summary>
public sealed record GreetingPrefix(string Value);

/// <summary>A module with a constructor dependency: its router counts the prefixed name (the counter emits it).</summary>
public sealed class PrefixIngressModule(GreetingPrefix prefix) : IStatefulFunctionModule
{
    public static readonly IngressId<string> Names = new("tests/names");

    public void Configure(IModuleBuilder module) => module.AddRouter(Names, new PrefixRouter(prefix.Value));

    private sealed class PrefixRouter(string prefix) : IRouter<string>
    {
        public void Route(string @event, IDownstream downstream) => downstream.Forward(Counter.At(prefix + @event), new Increment(1));
    }
}

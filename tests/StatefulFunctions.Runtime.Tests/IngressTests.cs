using System.Runtime.CompilerServices;
using StatefulFunctions.Runtime.Tests.Functions;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>Events entering through an ingress reach the address its router picks.</summary>
public sealed class IngressTests
{
    private static readonly IngressId<string> Words = new("tests/words");

    [Fact]
    public async Task A_router_sends_each_event_of_an_ingress_source_to_the_address_it_picks()
    {
        await using var app = await Testing.TestApplication.StartAsync(new WordsModule(["apple", "avocado", "banana"]));
        await WaitForAsync(app, Counter.At("a").Untyped, 2);

        Assert.Equal(2, await app.GetStateAsync<int>(Counter.At("a").Untyped, "count"));
        Assert.Equal(1, await app.GetStateAsync<int>(Counter.At("b").Untyped, "count"));
    }

    [Fact]
    public async Task The_client_can_publish_to_an_in_process_ingress()
    {
        await using var app = await Testing.TestApplication.StartAsync(new WordsModule([]));
        await app.Client.IngestAsync(Words, "cherry");
        await app.RunUntilIdleAsync();

        Assert.Equal(1, await app.GetStateAsync<int>(Counter.At("c").Untyped, "count"));
    }

    [Fact]
    public async Task An_ingress_without_a_router_is_a_configuration_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Testing.TestApplication.StartAsync(new RouterlessModule()));
        Assert.Contains("Ingress 'tests/words' has no router", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Testing.TestApplication app, Address address, int count)
    {
        // The source is pumped in the background: wait (bounded) until its events have been handled.
        for (var i = 0; i < 500; i++)
        {
            await app.RunUntilIdleAsync();
            if (await app.GetStateAsync<int>(address, "count") >= count)
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    private sealed class WordsModule(string[] words) : IStatefulFunctionModule
    {
        public void Configure(IModuleBuilder module)
        {
            module.AddEgress(TestModule.Counts);
            module.AddIngress(Words, new WordSource(words));
            module.AddRouter(Words, new FirstLetterRouter());
        }
    }

    private sealed class RouterlessModule : IStatefulFunctionModule
    {
        public void Configure(IModuleBuilder module) => module.AddIngress(Words, new WordSource([]));
    }

    private sealed class WordSource(string[] words) : IIngress<string>
    {
        public async IAsyncEnumerable<string> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var word in words)
            {
                await Task.Yield();
                yield return word;
            }
        }
    }

    private sealed class FirstLetterRouter : IRouter<string>
    {
        public void Route(string @event, IDownstream downstream) =>
            downstream.Forward(Counter.At(@event[..1]).Untyped, new Increment(1));
    }
}

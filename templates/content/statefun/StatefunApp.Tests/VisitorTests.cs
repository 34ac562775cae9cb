using StatefulFunctions.Testing;
using StatefunApp;

namespace StatefunApp.Tests;

public class VisitorTests
{
    [Fact]
    public async Task Each_visit_is_counted_and_greeted()
    {
        // One function instance on a manual clock; it is swapped out and back in between messages,
        // so only [Persisted] state carries over, as in production.
        var visitor = new FunctionTestHarness<Visitor>("ADA");

        await visitor.InvokeAsync(new Visit("Ada"));
        await visitor.InvokeAsync(new Visit("Ada"));

        Assert.Equal(2, visitor.GetState<long>("visits"));
        Assert.Equal([new Greeting("Ada", 1), new Greeting("Ada", 2)], visitor.Emitted(VisitorsModule.Greetings));
    }

    [Fact]
    public async Task Names_coming_in_reach_the_visitor_of_that_name()
    {
        // The whole module in memory: ingress, router, functions and egress.
        await using var app = await TestApplication.StartAsync(new VisitorsModule([]));

        await app.Client.IngestAsync(VisitorsModule.Names, "Ada");
        await app.Client.IngestAsync(VisitorsModule.Names, "Grace");
        await app.Client.IngestAsync(VisitorsModule.Names, "ada");
        await app.RunUntilIdleAsync();

        var greetings = app.Emitted(VisitorsModule.Greetings);
        Assert.Equal(3, greetings.Count);
        Assert.Contains(new Greeting("Grace", 1), greetings);
        Assert.Contains(new Greeting("ada", 2), greetings);
    }
}

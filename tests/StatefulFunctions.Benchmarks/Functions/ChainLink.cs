using System.Diagnostics;

namespace StatefulFunctions.Benchmarks.Functions;

/// <summary>Forwards a hop to a random link until the chain has made <see cref="ChainLength"/> hops.</summary>
[StatefulFunction("bench/chain")]
internal sealed partial class ChainLink : IHandle<Hop>
{
    public const int ChainLength = 10;

    [Persisted] private int _seen;

    /// <summary>The links a hop is forwarded to; set by the scenario before it starts.</summary>
    public static Address<ChainLink>[] Links { get; set; } = [];

    public void Handle(IContext context, Hop message)
    {
        _seen++;
        BenchStats.Record(message.SentAt);
        var hops = message.Hops + 1;
        if (hops < ChainLength)
        {
            var links = Links;
            context.Send(links[Random.Shared.Next(links.Length)], new Hop(hops, Stopwatch.GetTimestamp()));
        }
    }
}

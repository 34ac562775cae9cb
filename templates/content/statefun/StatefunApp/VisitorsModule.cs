using StatefulFunctions;

namespace StatefunApp;

/// <summary>
/// The application's module. The <see cref="Visitor"/> function comes with it (its registration is generated);
/// this adds where events come in (an ingress and its router) and where results go out (an egress).
/// </summary>
public sealed class VisitorsModule(IReadOnlyList<string> names) : IStatefulFunctionModule
{
    /// <summary>Names of visitors arriving.</summary>
    public static readonly IngressId<string> Names = new("example/names");

    /// <summary>A greeting per visit.</summary>
    public static readonly EgressId<Greeting> Greetings = new("example/greetings");

    public void Configure(IModuleBuilder module) => module
        .AddIngress(Names, new NamesIngress(names))
        .AddRouter(Names, new NameRouter())
        .AddEgress(Greetings);
}

/// <summary>Sends each name to the visitor function of that name (names are case-insensitive).</summary>
public sealed class NameRouter : IRouter<string>
{
    public void Route(string @event, IDownstream downstream)
    {
        var name = @event.Trim();
        if (name.Length > 0)
        {
            downstream.Forward(Visitor.At(name.ToUpperInvariant()), new Visit(name));
        }
    }
}

/// <summary>
/// The source of the <see cref="VisitorsModule.Names"/> ingress: here a fixed list. A real application reads a
/// queue, a file or a socket; events can also be sent with <c>IStatefulFunctionsClient.IngestAsync</c>.
/// </summary>
public sealed class NamesIngress(IReadOnlyList<string> names) : IIngress<string>
{
    public IAsyncEnumerable<string> ReadAsync(CancellationToken cancellationToken) => names.ToAsyncEnumerable();
}

using System.Diagnostics.CodeAnalysis;

namespace StatefulFunctions;

/// <summary>What a module adds to the application.</summary>
public interface IModuleBuilder
{
    /// <summary>Adds an egress that functions can <see cref="IContext.Emit{T}"/> to and the client can read.</summary>
    IModuleBuilder AddEgress<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(EgressId<T> egress);

    /// <summary>Adds an ingress: a source of events the runtime pumps from start to stop.</summary>
    IModuleBuilder AddIngress<T>(IngressId<T> ingress, IIngress<T> source);

    /// <summary>Attaches a router to an ingress: it picks the address that handles each event.</summary>
    IModuleBuilder AddRouter<T>(IngressId<T> ingress, IRouter<T> router);
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>
/// What the modules added: function types, egresses, ingresses and routers. Built once, read-only afterwards.
/// </summary>
internal sealed class ApplicationModel : IModuleBuilder, IFunctionRegistrar
{
    private readonly Dictionary<TypeName, FunctionType> _functions = new();
    private readonly Dictionary<Type, FunctionType> _functionsByClass = new();
    private readonly Dictionary<TypeName, Type> _egresses = new();
    private readonly Dictionary<TypeName, IngressRegistration> _ingresses = new();
    private readonly HashSet<Assembly> _registeredAssemblies = new();
    private readonly Dictionary<Type, MessageTypeDescriptor> _egressRecordTypes = new();

    public IReadOnlyDictionary<TypeName, FunctionType> Functions => _functions;

    public IReadOnlyDictionary<TypeName, Type> Egresses => _egresses;

    public IReadOnlyDictionary<TypeName, IngressRegistration> Ingresses => _ingresses;

    public void AddModule(IStatefulFunctionModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        AddFunctionsOf(module.GetType().Assembly);
        module.Configure(this);
    }

    /// <summary>Registers the generated functions of an assembly, once, through its <see cref="FunctionRegistryAttribute"/>.</summary>
    public void AddFunctionsOf(Assembly assembly)
    {
        if (!_registeredAssemblies.Add(assembly))
        {
            return;
        }

        foreach (var attribute in assembly.GetCustomAttributes<FunctionRegistryAttribute>())
        {
            var registry = (IFunctionRegistry)Activator.CreateInstance(attribute.RegistryType)!;
            registry.Register(this);
        }
    }

    public FunctionType? Find(Type functionClass) => _functionsByClass.GetValueOrDefault(functionClass);

    public void AddFunction(FunctionDescriptor function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (AddressRules.ProblemWithFunctionType(function.TypeName) is { } problem)
        {
            throw new InvalidOperationException($"Function type '{function.TypeName}' of {function.FunctionType.FullName} cannot be registered: its name {problem}.");
        }

        if (_functions.TryGetValue(function.TypeName, out var existing))
        {
            if (existing.Descriptor.FunctionType == function.FunctionType)
            {
                return;
            }

            throw new InvalidOperationException(
                $"Function type '{function.TypeName}' is declared twice: by {existing.Descriptor.FunctionType.FullName} and by {function.FunctionType.FullName}. Each function type name must be unique in an application.");
        }

        var functionType = new FunctionType(function);
        _functions.Add(function.TypeName, functionType);
        _functionsByClass[function.FunctionType] = functionType;
    }

    public IModuleBuilder AddEgress<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(EgressId<T> egress)
    {
        ArgumentNullException.ThrowIfNull(egress);
        if (_egresses.TryGetValue(egress.Name, out var existing) && existing != typeof(T))
        {
            throw new InvalidOperationException(
                $"Egress '{egress.Name}' is declared twice with different record types: {existing.FullName} and {typeof(T).FullName}.");
        }

        _egresses[egress.Name] = typeof(T);
        _egressRecordTypes[typeof(T)] = new MessageTypeDescriptor<T>(MessageTypeNames.Of(typeof(T)));
        return this;
    }

    /// <summary>Every type that travels through the durable log: handled message types and egress record types.</summary>
    /// <summary>The types of the replies the functions give (those that are also message types are in <see cref="MessageTypes"/> too).</summary>
    public IEnumerable<MessageTypeDescriptor> ReplyTypes => _functions.Values.SelectMany(f => f.Descriptor.ReplyTypes);

    public IEnumerable<MessageTypeDescriptor> MessageTypes =>
        _functions.Values.SelectMany(f => f.Descriptor.MessageTypes).Concat(_egressRecordTypes.Values);

    public IModuleBuilder AddIngress<T>(IngressId<T> ingress, IIngress<T> source)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(source);
        var registration = GetOrAddIngress(ingress);
        if (registration.Source is not null)
        {
            throw new InvalidOperationException($"Ingress '{ingress.Name}' already has a source; an ingress has one source and any number of routers.");
        }

        registration.Source = source;
        return this;
    }

    public IModuleBuilder AddRouter<T>(IngressId<T> ingress, IRouter<T> router)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(router);
        GetOrAddIngress(ingress).Routers.Add(router);
        return this;
    }

    /// <summary>Checks what can only be checked once every module is in.</summary>
    public void Validate()
    {
        foreach (var (name, ingress) in _ingresses)
        {
            if (ingress.RouterCount == 0)
            {
                throw new InvalidOperationException(
                    $"Ingress '{name}' has no router: add one with module.AddRouter(...) so its events reach a function.");
            }
        }
    }

    private IngressRegistration<T> GetOrAddIngress<T>(IngressId<T> ingress)
    {
        if (_ingresses.TryGetValue(ingress.Name, out var existing))
        {
            return existing as IngressRegistration<T> ?? throw new InvalidOperationException(
                $"Ingress '{ingress.Name}' is declared twice with different event types: {existing.EventType.FullName} and {typeof(T).FullName}.");
        }

        var registration = new IngressRegistration<T>(ingress.Name);
        _ingresses.Add(ingress.Name, registration);
        return registration;
    }
}

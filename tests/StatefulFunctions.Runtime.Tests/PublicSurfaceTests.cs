using System.ComponentModel;
using System.Reflection;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The layers of the public surface: what generated code uses is hidden from IntelliSense, what users touch is not.</summary>
public sealed class PublicSurfaceTests
{
    // Users meet these: typed state descriptors in tests, and exceptions a handler or a read can throw.
    private static readonly string[] UserFacing = ["PersistedMember`1", "StateSerializationException", "UnhandledMessageException"];

    [Fact]
    public void The_generated_code_contract_is_hidden_from_IntelliSense_and_what_users_touch_is_not()
    {
        var generation = typeof(StatefulFunctionsRuntime).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "StatefulFunctions.Generation" && !t.IsNested)
            .ToList();
        Assert.NotEmpty(generation);

        foreach (var type in generation)
        {
            var hidden = type.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never;
            Assert.True(
                hidden != UserFacing.Contains(type.Name),
                UserFacing.Contains(type.Name) ? $"{type.Name} is used by users and must stay visible." : $"{type.Name} is for generated code and must be [EditorBrowsable(Never)].");
        }
    }

    [Fact]
    public void The_storage_namespace_offers_the_store_interface_and_the_in_memory_store_and_durable_storage_is_chosen_through_the_builder()
    {
        var storage = typeof(StatefulFunctionsRuntime).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "StatefulFunctions.Storage")
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["StatefulFunctions.Storage.IStateStore", "StatefulFunctions.Storage.InMemoryStateStore", "StatefulFunctions.Storage.StateChange"], storage);
        Assert.NotNull(typeof(Hosting.StatefulFunctionsBuilder).GetMethod(nameof(Hosting.StatefulFunctionsBuilder.UseLiteDb), [typeof(string)]));
    }

    [Fact]
    public void The_module_builder_users_call_offers_only_what_users_add_and_generated_registration_has_its_own_registrar()
    {
        var methods = typeof(IModuleBuilder).GetMethods().Select(m => m.Name).Order().ToList();
        Assert.Equal(["AddEgress", "AddIngress", "AddRouter"], methods);

        var register = typeof(Generation.IFunctionRegistry).GetMethod(nameof(Generation.IFunctionRegistry.Register))!;
        Assert.Equal(typeof(Generation.IFunctionRegistrar), Assert.Single(register.GetParameters()).ParameterType);
    }
}

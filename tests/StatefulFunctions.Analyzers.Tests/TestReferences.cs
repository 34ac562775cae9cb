using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace StatefulFunctions.Analyzers.Tests;

/// <summary>Offline references: the .NET 10 reference assemblies, the runtime and MemoryPack.Core.</summary>
internal static class TestReferences
{
    public static void Apply(SolutionState state, out ReferenceAssemblies referenceAssemblies)
    {
        // ReferenceAssemblies.Net.* downloads packages; an empty set plus Basic.Reference.Assemblies stays offline.
        referenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(IContext).Assembly.Location));
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location));
    }
}

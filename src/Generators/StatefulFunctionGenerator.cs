using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StatefulFunctions.Generators.Model;

namespace StatefulFunctions.Generators;

/// <summary>
/// Generates, for every <c>[StatefulFunction]</c> class, its dispatch table, state serializer and typed
/// address helpers, and once per assembly the registry that adds every function to a module.
/// </summary>
/// <remarks>
/// Wiring only: <see cref="Parser"/> turns symbols into specs, <see cref="Emitter"/> turns specs into text.
/// Invalid input (bad type name, bad TTL, non-partial class) is skipped silently: analyzers report it.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class StatefulFunctionGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var functions = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.StatefulFunctionAttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (syntaxContext, cancellationToken) => Parser.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedFunctions)
            .Where(static function => function is not null)
            .Select(static (function, _) => function!)
            .WithTrackingName(TrackingNames.Functions);

        context.RegisterSourceOutput(functions, static (output, function) =>
            output.AddSource(function.HintName, Emitter.EmitFunction(function)));

        // Collect() yields an ImmutableArray (compared by reference): turn it into a sorted, value-equal array.
        var allFunctions = functions
            .Collect()
            .Select(static (collected, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new EquatableArray<FunctionSpec>(collected
                    .OrderBy(static function => function.FunctionTypeName, StringComparer.Ordinal)
                    .ThenBy(static function => function.FullyQualifiedName, StringComparer.Ordinal));
            })
            .WithTrackingName(TrackingNames.AllFunctions);

        var assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName)
            .WithTrackingName(TrackingNames.AssemblyName);

        var registry = allFunctions
            .Combine(assemblyName)
            .Select(static (input, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new RegistrySpec(Naming.RegistryNamespace(input.Right), input.Left);
            })
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(registry, static (output, spec) =>
        {
            if (!spec.Functions.IsEmpty)
            {
                output.AddSource(Emitter.RegistryHintName, Emitter.EmitRegistry(spec));
            }
        });
    }
}

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns when a handler changes an instance field or auto-property of its function class that is not [Persisted]
/// (SFN0011): the value is lost when the instance is swapped out. A change is an assignment (<c>=</c>, a compound
/// assignment, <c>??=</c>, <c>++</c>, <c>--</c>), an element assigned through an indexer, or a mutating call on a
/// collection (<c>_history.Add(x)</c>); it is reported in the handler itself and in an instance method of the class
/// that a handler calls, directly or through other such methods, with the path of calls in the message.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonPersistedStateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The methods that change a collection they are called on (those that return a new one are left out).</summary>
    private static readonly ImmutableHashSet<string> MutatingMethods = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "Clear",
        "Enqueue", "Dequeue", "TryDequeue", "Push", "Pop", "TryPop", "TryAdd", "TryRemove", "TryUpdate", "AddOrUpdate", "GetOrAdd",
        "Sort", "Reverse", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith",
        "AddFirst", "AddLast", "AddBefore", "AddAfter", "RemoveFirst", "RemoveLast");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonPersistedStateAssigned);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.PersistedAttribute is null)
            {
                return;
            }

            // Per function class: a change in a handler is reported at once; a change in another method and the calls
            // between the class's methods are collected, and the changes a handler reaches are reported at its end.
            start.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    if (!symbols.IsStatefulFunction(type))
                    {
                        return;
                    }

                    var function = new FunctionState(type, symbols);
                    typeStart.RegisterOperationAction(
                        c => function.AnalyzeWrite(c, ((IAssignmentOperation)c.Operation).Target),
                        OperationKind.SimpleAssignment,
                        OperationKind.CompoundAssignment,
                        OperationKind.CoalesceAssignment);
                    typeStart.RegisterOperationAction(
                        c => function.AnalyzeWrite(c, ((IIncrementOrDecrementOperation)c.Operation).Target),
                        OperationKind.Increment,
                        OperationKind.Decrement);
                    typeStart.RegisterOperationAction(function.AnalyzeInvocation, OperationKind.Invocation);
                    typeStart.RegisterSymbolEndAction(function.ReportReachedChanges);
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>What one function class's methods change and call, collected while its operations are analyzed.</summary>
    private sealed class FunctionState(INamedTypeSymbol type, WellKnownSymbols symbols)
    {
        private readonly ConcurrentDictionary<IMethodSymbol, bool> handlers = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentQueue<Change> changes = new();
        private readonly ConcurrentQueue<(IMethodSymbol Caller, IMethodSymbol Callee)> calls = new();

        public void AnalyzeWrite(OperationAnalysisContext context, IOperation target)
        {
            var (reference, what) = target switch
            {
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => (indexer.Instance, "is changed through its indexer"),
                IArrayElementReferenceOperation element => (element.ArrayReference, "has an element assigned"),
                _ => (target, "is assigned"),
            };

            Analyze(context, reference, what);
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (MutatingMethods.Contains(method.Name)
                && invocation.Instance?.Type is { } collection
                && IsCollection(collection)
                && !SymbolEqualityComparer.Default.Equals(method.ReturnType, collection))
            {
                Analyze(context, invocation.Instance, $"is changed by {method.Name}");
            }

            if (!method.IsStatic
                && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type)
                && Caller(context) is { } caller)
            {
                calls.Enqueue((caller, method.OriginalDefinition));
            }
        }

        /// <summary>Reports the changes made in methods that a handler calls, each once, with the shortest path to it.</summary>
        public void ReportReachedChanges(SymbolAnalysisContext context)
        {
            if (changes.IsEmpty)
            {
                return;
            }

            var callees = calls
                .GroupBy(c => c.Caller, c => c.Callee, SymbolEqualityComparer.Default)
                .ToDictionary(
                    g => (IMethodSymbol)g.Key!,
                    g => g.Distinct<IMethodSymbol>(SymbolEqualityComparer.Default).OrderBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0).ToList(),
                    SymbolEqualityComparer.Default);

            // Breadth first from every handler (in declaration order), so each method gets its shortest path.
            var paths = new Dictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);
            var queue = new Queue<IMethodSymbol>();
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && IsHandler(method))
                {
                    paths[method] = $"{method.Name}({MessageTypeName(method)})";
                    queue.Enqueue(method);
                }
            }

            while (queue.Count > 0)
            {
                var caller = queue.Dequeue();
                if (!callees.TryGetValue(caller, out var next))
                {
                    continue;
                }

                foreach (var callee in next)
                {
                    if (!paths.ContainsKey(callee))
                    {
                        paths[callee] = paths[caller] + " -> " + callee.Name;
                        queue.Enqueue(callee);
                    }
                }
            }

            foreach (var change in changes.OrderBy(c => c.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Location.SourceSpan.Start))
            {
                if (paths.TryGetValue(change.Method, out var path))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.NonPersistedStateAssigned,
                        change.Location,
                        change.Member,
                        $"{change.What} in {change.Method.Name} (called from a handler: {path})"));
                }
            }
        }

        private void Analyze(OperationAnalysisContext context, IOperation? reference, string what)
        {
            if (Caller(context) is not { } method || ChangedMember(reference) is not { } member)
            {
                return;
            }

            if (IsHandler(method))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NonPersistedStateAssigned, reference!.Syntax.GetLocation(), member.Name, what + " in a handler"));
            }
            else if (!method.IsStatic)
            {
                changes.Enqueue(new Change(method, member.Name, what, reference!.Syntax.GetLocation()));
            }
        }

        /// <summary>The method of the function class whose body holds the operation (lambdas and local functions included).</summary>
        private IMethodSymbol? Caller(OperationAnalysisContext context) =>
            context.ContainingSymbol is IMethodSymbol method && SymbolEqualityComparer.Default.Equals(method.ContainingType, type)
                ? method
                : null;

        private bool IsHandler(IMethodSymbol method) => handlers.GetOrAdd(method, m => symbols.IsHandler(m));

        /// <summary>A non-persisted instance field or auto-property of the function class read through <c>this</c>.</summary>
        private ISymbol? ChangedMember(IOperation? reference)
        {
            ISymbol? member = reference switch
            {
                IFieldReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }, Field: { IsStatic: false, IsConst: false } field } => field,
                IPropertyReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }, Property: { IsStatic: false, IsIndexer: false } property } when IsAutoProperty(property) => property,
                _ => null,
            };

            return member is not null
                && SymbolEqualityComparer.Default.Equals(member.ContainingType, type)
                && !HasAttribute(member, symbols.PersistedAttribute!)
                ? member
                : null;
        }

        private static string MessageTypeName(IMethodSymbol handler) =>
            handler.Parameters.Length > 0
                ? handler.Parameters[handler.Parameters.Length - 1].Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)
                : string.Empty;

        private static bool IsCollection(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_Collections_IEnumerable
            || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);
    }

    /// <summary>A change of <see cref="Member"/> made in <see cref="Method"/>, which is not a handler.</summary>
    private sealed class Change(IMethodSymbol method, string member, string what, Location location)
    {
        public IMethodSymbol Method { get; } = method;

        public string Member { get; } = member;

        public string What { get; } = what;

        public Location Location { get; } = location;
    }

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol member, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns about calls that hold the shard inside a handler (SFN0005): those that block the dispatcher thread
/// (<c>Result</c>, <c>Wait</c>, <c>WaitAll</c>, <c>GetAwaiter().GetResult()</c>) and waits (<c>Thread.Sleep</c>, an
/// awaited <c>Task.Delay</c>), for which the message points to <c>context.SendAfter</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.BlockingCallInHandler);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var blocking = new BlockingMembers(
                symbols,
                symbols.Task,
                symbols.TaskOfT,
                symbols.ValueTaskOfT,
                symbols.Thread);

            start.RegisterOperationAction(blocking.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(blocking.AnalyzePropertyReference, OperationKind.PropertyReference);
        });
    }

    /// <summary>The blocking members, resolved once per compilation.</summary>
    private sealed class BlockingMembers(
        WellKnownSymbols symbols,
        INamedTypeSymbol? task,
        INamedTypeSymbol? taskOfT,
        INamedTypeSymbol? valueTaskOfT,
        INamedTypeSymbol? thread)
    {
        private const string Blocks = "by blocking its dispatcher thread; implement IHandleAsync<T> and await instead";

        private const string Sleeps =
            "while it waits, and an awaited Task.Delay would hold it just the same (a shard handles one message at a time); " + SendLater;

        private const string Delays =
            "while it waits (a shard handles one message at a time, also across an await); " + SendLater;

        private const string SendLater = "to act later, schedule a delayed message with context.SendAfter(delay, context.Self, message)";

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            var owner = method.ContainingType?.OriginalDefinition;
            var (member, why) = method.Name switch
            {
                "Wait" when Is(owner, task) || Is(owner, taskOfT) => (Name(method), Blocks),
                "WaitAll" when method.IsStatic && Is(owner, task) => (Name(method), Blocks),
                "GetResult" when IsAwaiter(owner) => (invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } ? "GetAwaiter().GetResult()" : Name(method), Blocks),
                "Sleep" when method.IsStatic && Is(owner, thread) => (Name(method), Sleeps),
                "Delay" when method.IsStatic && Is(owner, task) && IsAwaitedByTheHandler(invocation) => (Name(method), Delays),
                _ => (null, null),
            };

            if (member is not null && InHandler(context))
            {
                Report(context, member, why!);
            }
        }

        public void AnalyzePropertyReference(OperationAnalysisContext context)
        {
            var property = ((IPropertyReferenceOperation)context.Operation).Property;
            var owner = property.ContainingType?.OriginalDefinition;
            if (property.Name == "Result" && (Is(owner, taskOfT) || Is(owner, valueTaskOfT)) && InHandler(context))
            {
                Report(context, $"{property.ContainingType!.Name}.Result", Blocks);
            }
        }

        private static string Name(IMethodSymbol method) => $"{method.ContainingType!.Name}.{method.Name}";

        private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

        /// <summary>TaskAwaiter, ValueTaskAwaiter and the configured awaiters (with or without a result).</summary>
        private static bool IsAwaiter(INamedTypeSymbol? type) =>
            type is not null
            && type.Name.EndsWith("Awaiter", System.StringComparison.Ordinal)
            && type.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices";

        /// <summary>
        /// True for <c>await Task.Delay(...)</c> (also with <c>ConfigureAwait</c>) in the handler's own body, not in a
        /// lambda or local function it starts (which does not hold the shard unless the handler awaits it).
        /// </summary>
        private static bool IsAwaitedByTheHandler(IInvocationOperation delay)
        {
            IOperation value = delay;
            if (value.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured)
            {
                value = configured;
            }

            if (value.Parent is not IAwaitOperation)
            {
                return false;
            }

            for (var parent = value.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return true;
        }

        private bool InHandler(OperationAnalysisContext context) =>
            context.ContainingSymbol is IMethodSymbol { ContainingType: { } type } method
            && (IsHandlerName(method.Name) || method.ExplicitInterfaceImplementations.Any(m => IsHandlerName(m.Name)))
            && symbols.IsStatefulFunction(type);

        private static bool IsHandlerName(string name) => name is "Handle" or "HandleAsync";

        private static void Report(OperationAnalysisContext context, string member, string why) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingCallInHandler, context.Operation.Syntax.GetLocation(), member, why));
    }
}

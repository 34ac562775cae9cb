using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Warns when a handler's <c>IContext</c> parameter escapes the handler (SFN0013): it is assigned to a field or
/// property, or referenced from a lambda or anonymous method that is stored in a field or property, that is handed to
/// an API that runs it on another thread (<c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>ContinueWith</c>,
/// <c>ThreadPool.QueueUserWorkItem</c>, <c>new Thread</c>, <c>new Task</c>, <c>new Timer</c>), or that is inside an async handler.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextEscapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ContextEscapesHandler);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WellKnownSymbols.Create(start.Compilation);
            if (symbols?.Context is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeReference(c, symbols), OperationKind.ParameterReference);
        });
    }

    private static void AnalyzeReference(OperationAnalysisContext context, WellKnownSymbols symbols)
    {
        var reference = (IParameterReferenceOperation)context.Operation;
        var parameter = reference.Parameter;
        if (!SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.Context)
            || parameter.ContainingSymbol is not IMethodSymbol handler
            || !symbols.IsHandler(handler))
        {
            return;
        }

        string? problem = null;
        if (IsStoredInMember(reference))
        {
            problem = "is stored in a field or property";
        }
        else
        {
            // Any enclosing lambda counts: a synchronous one (a ForEach) inside one run on another thread still escapes.
            var captured = false;
            for (var function = EnclosingAnonymousFunction(reference); function is not null && problem is null; function = EnclosingAnonymousFunction(function))
            {
                captured = true;
                if (IsStoredInMember(function))
                {
                    problem = "is captured by a lambda stored in a field or property";
                }
                else if (ThreadStarter(function) is { } starter)
                {
                    problem = $"is captured by a lambda given to {starter}, which runs it on another thread, possibly after the handler has returned";
                }
            }

            if (problem is null && captured && handler.IsAsync)
            {
                problem = "is captured by a lambda in an async handler, which may run after the handler returns";
            }
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContextEscapesHandler, reference.Syntax.GetLocation(), parameter.Name, problem));
        }
    }

    /// <summary>True when the value of <paramref name="operation"/> (through conversions) is assigned to a field or property.</summary>
    private static bool IsStoredInMember(IOperation operation)
    {
        var value = operation;
        while (value.Parent is IConversionOperation or IDelegateCreationOperation)
        {
            value = value.Parent;
        }

        return value.Parent is ISimpleAssignmentOperation assignment
            && assignment.Value == value
            && assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation;
    }

    /// <summary>
    /// The API (as "Task.Run", "new Thread") that <paramref name="function"/> is an argument of, when that API runs
    /// its delegate on another thread; otherwise null.
    /// </summary>
    private static string? ThreadStarter(IAnonymousFunctionOperation function)
    {
        IOperation value = function;
        while (value.Parent is IConversionOperation or IDelegateCreationOperation)
        {
            value = value.Parent;
        }

        if (value.Parent is not IArgumentOperation argument)
        {
            return null;
        }

        switch (argument.Parent)
        {
            case IInvocationOperation { TargetMethod: var method }:
                var owner = method.ContainingType?.OriginalDefinition;
                var starts = method.Name switch
                {
                    "Run" => IsType(owner, "System.Threading.Tasks", "Task"),
                    "StartNew" => IsType(owner, "System.Threading.Tasks", "TaskFactory") || IsType(owner, "System.Threading.Tasks", "TaskFactory`1"),
                    "ContinueWith" => IsType(owner, "System.Threading.Tasks", "Task") || IsType(owner, "System.Threading.Tasks", "Task`1"),
                    "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "RegisterWaitForSingleObject" => IsType(owner, "System.Threading", "ThreadPool"),
                    _ => false,
                };
                return starts ? $"{method.ContainingType!.Name}.{method.Name}" : null;

            case IObjectCreationOperation { Type: INamedTypeSymbol created }:
                var definition = created.OriginalDefinition;
                return IsType(definition, "System.Threading", "Thread")
                    || IsType(definition, "System.Threading", "Timer")
                    || IsType(definition, "System.Threading.Tasks", "Task")
                    || IsType(definition, "System.Threading.Tasks", "Task`1")
                    ? $"new {created.Name}"
                    : null;

            default:
                return null;
        }
    }

    private static bool IsType(INamedTypeSymbol? type, string ns, string metadataName) =>
        type is not null && type.MetadataName == metadataName && type.ContainingNamespace?.ToDisplayString() == ns;

    private static IAnonymousFunctionOperation? EnclosingAnonymousFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation function)
            {
                return function;
            }
        }

        return null;
    }
}

using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace StatefulFunctions.Generators.Tests.Infrastructure;

/// <summary>
/// Walks a pipeline step's output object graph and reports any Roslyn object that would defeat caching
/// (or keep a whole compilation alive): compilations, symbols, syntax, locations and ImmutableArrays.
/// </summary>
internal static class StepOutputWalker
{
    private static readonly Type[] ForbiddenTypes =
        [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location)];

    /// <summary>Returns the path to every forbidden value reachable from <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> FindForbidden(object? root, string name)
    {
        var found = new List<string>();
        Walk(root, name, found, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return found;
    }

    private static void Walk(object? value, string path, List<string> found, HashSet<object> visited)
    {
        if (value is null)
        {
            return;
        }

        var type = value.GetType();
        if (ForbiddenTypes.Any(forbidden => forbidden.IsAssignableFrom(type)) ||
            (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)))
        {
            found.Add($"{path}: {type}");
            return;
        }

        if (type.IsPrimitive || type.IsEnum || value is string or decimal || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{index++}]", found, visited);
            }
        }

        // Fields cover auto-properties through their backing fields, and private state such as an array.
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", found, visited);
            }
        }
    }
}

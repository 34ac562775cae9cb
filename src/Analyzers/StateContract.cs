using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// The state contract baseline (<c>StatefulFunctions.Contracts.txt</c>, an AdditionalFile): per function type,
/// its persisted state names with their types and its handled message types. Shared by SFN0015/SFN0016 and the
/// "Update the state contract baseline" code fix.
/// </summary>
internal static class StateContract
{
    /// <summary>The file name the analyzer looks for among the AdditionalFiles (case-insensitive).</summary>
    public const string FileName = "StatefulFunctions.Contracts.txt";

    /// <summary>
    /// How types are written: fully qualified without <c>global::</c>, C# keywords for built-in types, generic
    /// arguments, <c>?</c> on nullable value and (annotated) reference types.
    /// </summary>
    public static readonly SymbolDisplayFormat TypeFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat PlainTypeFormat =
        TypeFormat.RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly string[] Header =
    [
        "# StatefulFunctions state contract baseline: the persisted state and messages of each function type.",
        "# Update it with the code fix \"Update the state contract baseline\" when a change is intended.",
        "# Format: 'function <type name>', then one indented line per persisted state ('state <state name>: <type>')",
        "# and per handled message type ('message <type>'). Types are fully qualified without 'global::', with C#",
        "# keywords for built-in types and '?' for nullable types. Functions, states and messages are sorted ordinally.",
    ];

    /// <summary>The contract of a [StatefulFunction] class, or null when it has no valid function type name.</summary>
    public static FunctionContract? FromType(INamedTypeSymbol type, WellKnownSymbols symbols)
    {
        var attribute = symbols.GetStatefulFunctionAttribute(type);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name)
        {
            return null;
        }

        var states = new List<StateEntry>();
        foreach (var member in type.GetMembers())
        {
            // The same members the generator persists: writable instance fields and properties.
            var memberType = PersistedMembers.AssignableType(member);
            var persisted = memberType is null ? null : FindAttribute(member, symbols.PersistedAttribute);
            if (memberType is null || persisted is null)
            {
                continue;
            }

            var pinned = GetName(persisted);
            states.Add(new StateEntry(pinned ?? StateNames.ToStateName(member.Name), memberType.ToDisplayString(TypeFormat), member, memberType, pinned is not null));
        }

        var messages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var @interface in type.AllInterfaces)
        {
            if (symbols.IsHandlerInterface(@interface))
            {
                messages.Add(@interface.TypeArguments[0].ToDisplayString(TypeFormat));
            }
        }

        states.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        return new FunctionContract(name, type, states, messages.ToList());
    }

    /// <summary>The contracts of every [StatefulFunction] class declared in the compilation's source.</summary>
    public static List<FunctionContract> FromCompilation(Compilation compilation, WellKnownSymbols symbols)
    {
        var contracts = new List<FunctionContract>();
        Collect(compilation.Assembly.GlobalNamespace, symbols, contracts);
        return contracts;
    }

    /// <summary>The baseline text for <paramref name="functions"/> (first class wins for a duplicated name; see SFN0007).</summary>
    public static string Write(IEnumerable<FunctionContract> functions)
    {
        var byName = new SortedDictionary<string, FunctionContract>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            if (!byName.ContainsKey(function.Name))
            {
                byName[function.Name] = function;
            }
        }

        var builder = new StringBuilder();
        foreach (var line in Header)
        {
            builder.Append(line).Append('\n');
        }

        foreach (var function in byName.Values)
        {
            builder.Append('\n').Append("function ").Append(function.Name).Append('\n');
            foreach (var state in function.States)
            {
                builder.Append("  state ").Append(state.Name).Append(": ").Append(state.Type).Append('\n');
            }

            foreach (var message in function.Messages)
            {
                builder.Append("  message ").Append(message).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>True for the baseline file among the AdditionalFiles.</summary>
    public static bool IsBaselineFile(string? path) =>
        path is not null && string.Equals(Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the baseline; on the first malformed line returns null with the line number (0-based) and the reason.</summary>
    public static Baseline? Parse(SourceText text, out int errorLine, out string error)
    {
        var functions = new Dictionary<string, BaselineFunction>(StringComparer.Ordinal);
        BaselineFunction? current = null;
        errorLine = -1;
        error = string.Empty;
        foreach (var line in text.Lines)
        {
            errorLine = line.LineNumber;
            var content = line.ToString().Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            var space = content.IndexOf(' ');
            var keyword = space < 0 ? content : content.Substring(0, space);
            var rest = space < 0 ? string.Empty : content.Substring(space + 1).Trim();
            switch (keyword)
            {
                case "function":
                    if (rest.Length == 0 || rest.IndexOf(' ') >= 0)
                    {
                        error = "expected 'function <type name>'";
                        return null;
                    }

                    if (functions.ContainsKey(rest))
                    {
                        error = $"the function '{rest}' is listed twice";
                        return null;
                    }

                    current = new BaselineFunction(rest, line.LineNumber);
                    functions[rest] = current;
                    break;
                case "state":
                    var colon = rest.IndexOf(':');
                    var stateName = colon < 0 ? string.Empty : rest.Substring(0, colon).Trim();
                    var stateType = colon < 0 ? string.Empty : rest.Substring(colon + 1).Trim();
                    if (stateName.Length == 0 || stateType.Length == 0)
                    {
                        error = "expected 'state <state name>: <type>'";
                        return null;
                    }

                    if (current is null)
                    {
                        error = "a 'state' line must follow a 'function' line";
                        return null;
                    }

                    current.States[stateName] = stateType;
                    break;
                case "message":
                    if (rest.Length == 0)
                    {
                        error = "expected 'message <type>'";
                        return null;
                    }

                    if (current is null)
                    {
                        error = "a 'message' line must follow a 'function' line";
                        return null;
                    }

                    current.Messages.Add(rest);
                    break;
                default:
                    error = $"unknown line '{content}': expected 'function', 'state', 'message', a comment ('#') or an empty line";
                    return null;
            }
        }

        errorLine = -1;
        return new Baseline(functions);
    }

    /// <summary>
    /// True when a state recorded as <paramref name="baselineType"/> still loads into <paramref name="current"/>: the
    /// same type string, or one that differs only by <c>?</c> on reference types.
    /// </summary>
    public static bool IsCompatible(string baselineType, ITypeSymbol current)
    {
        if (string.Equals(baselineType, current.ToDisplayString(TypeFormat), StringComparison.Ordinal))
        {
            return true;
        }

        // Walk the baseline string against the current type without reference nullability ('?' left only on
        // Nullable<T>); an extra '?' in the baseline is accepted only right after a reference type (matched against
        // the part of the current type consumed so far, which has no such '?').
        var plain = current.ToDisplayString(PlainTypeFormat);
        var referenceTypes = new List<string>();
        CollectReferenceTypes(current, referenceTypes);
        int i = 0, j = 0;
        while (i < baselineType.Length)
        {
            if (j < plain.Length && baselineType[i] == plain[j])
            {
                i++;
                j++;
            }
            else if (baselineType[i] == '?' && FollowsReferenceType(plain.Substring(0, j), referenceTypes))
            {
                i++;
            }
            else
            {
                return false;
            }
        }

        return j == plain.Length;
    }

    private static bool FollowsReferenceType(string prefix, List<string> referenceTypes)
    {
        foreach (var type in referenceTypes)
        {
            if (prefix.EndsWith(type, StringComparison.Ordinal))
            {
                var start = prefix.Length - type.Length;
                if (start == 0 || prefix[start - 1] is '<' or ' ' or ',' or '(')
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void CollectReferenceTypes(ITypeSymbol type, List<string> referenceTypes)
    {
        if (type.IsReferenceType)
        {
            referenceTypes.Add(type.ToDisplayString(PlainTypeFormat));
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                CollectReferenceTypes(array.ElementType, referenceTypes);
                break;
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    CollectReferenceTypes(argument, referenceTypes);
                }

                break;
        }
    }

    private static string? GetName(AttributeData persisted)
    {
        foreach (var argument in persisted.NamedArguments)
        {
            if (argument.Key == "Name" && argument.Value.Value is string name && !string.IsNullOrWhiteSpace(name))
            {
                return name;
            }
        }

        return null;
    }

    private static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    private static void Collect(INamespaceOrTypeSymbol container, WellKnownSymbols symbols, List<FunctionContract> contracts)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                Collect(ns, symbols, contracts);
            }
            else if (member is INamedTypeSymbol type)
            {
                if (FromType(type, symbols) is { } contract)
                {
                    contracts.Add(contract);
                }

                Collect(type, symbols, contracts);
            }
        }
    }
}

/// <summary>The current contract of one function class.</summary>
internal sealed class FunctionContract(string name, INamedTypeSymbol type, List<StateEntry> states, List<string> messages)
{
    public string Name { get; } = name;

    public INamedTypeSymbol Type { get; } = type;

    /// <summary>Sorted by state name (ordinal).</summary>
    public List<StateEntry> States { get; } = states;

    /// <summary>Sorted (ordinal), distinct.</summary>
    public List<string> Messages { get; } = messages;
}

/// <summary>One persisted member: its state name and type string.</summary>
internal sealed class StateEntry(string name, string type, ISymbol member, ITypeSymbol memberType, bool isPinned)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public ISymbol Member { get; } = member;

    public ITypeSymbol MemberType { get; } = memberType;

    /// <summary>True when the name comes from <c>[Persisted(Name = "...")]</c>.</summary>
    public bool IsPinned { get; } = isPinned;
}

/// <summary>The parsed baseline file.</summary>
internal sealed class Baseline(Dictionary<string, BaselineFunction> functions)
{
    public Dictionary<string, BaselineFunction> Functions { get; } = functions;
}

/// <summary>One function of the baseline file.</summary>
internal sealed class BaselineFunction(string name, int line)
{
    public string Name { get; } = name;

    /// <summary>The 0-based line of its 'function' line.</summary>
    public int Line { get; } = line;

    public Dictionary<string, string> States { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Messages { get; } = new(StringComparer.Ordinal);
}

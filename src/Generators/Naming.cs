using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace StatefulFunctions.Generators;

/// <summary>Name conversions shared by the parser and the emitter.</summary>
internal static class Naming
{
    private const string RegistryNamespacePrefix = "StatefulFunctions.Generated";

    /// <summary>
    /// <c>StatefulFunctions.Generated.{assembly name}</c>, each dotted part of the assembly name made a valid
    /// identifier (<c>My-App.Rides</c> → <c>My_App.Rides</c>).
    /// </summary>
    public static string RegistryNamespace(string? assemblyName)
    {
        var builder = new StringBuilder(RegistryNamespacePrefix);
        foreach (var part in (assemblyName ?? string.Empty).Split('.'))
        {
            builder.Append('.').Append(ToIdentifier(part));
        }

        return builder.ToString();
    }

    /// <summary>Escapes a reserved keyword used as an identifier (<c>class</c> → <c>@class</c>).</summary>
    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;

    /// <summary>A C# string literal with its quotes.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string XmlText(string value) =>
        value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>
    /// A PascalCase identifier from a state name (<c>last_seen</c> → <c>LastSeen</c>); anything that is not a letter or
    /// digit separates words, and a name that would not start with a letter gets <c>State</c> in front.
    /// </summary>
    public static string ToPascalCase(string stateName)
    {
        var builder = new StringBuilder(stateName.Length);
        var upper = true;
        foreach (var c in stateName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (builder.Length == 0 || !char.IsLetter(builder[0]))
        {
            builder.Insert(0, "State");
        }

        return builder.ToString();
    }

    private static string ToIdentifier(string part)
    {
        var builder = new StringBuilder(part.Length + 1);
        foreach (var c in part)
        {
            builder.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
        }

        if (builder.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return EscapeIdentifier(builder.ToString());
    }
}

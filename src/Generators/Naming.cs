using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace StatefulFunctions.Generators;

/// <summary>Name conversions shared by the parser and the emitter.</summary>
internal static class Naming
{
    private const string RegistryNamespacePrefix = "StatefulFunctions.Generated";

    /// <summary>
    /// The default state name of a member: its name without leading underscores, in snake_case
    /// (<c>_lastSeen</c> → <c>last_seen</c>, <c>Count</c> → <c>count</c>, <c>HTTPStatus</c> → <c>http_status</c>).
    /// </summary>
    public static string ToStateName(string memberName)
    {
        var name = memberName.TrimStart('_');
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A word starts at an upper-case letter after a lower-case letter or digit ("lastSeen"),
                // or at the last capital of an acronym followed by lower case ("HTTPStatus" → "http_status").
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var startsWord = i > 0 && previous != '_' &&
                    (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next)));
                if (startsWord)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

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

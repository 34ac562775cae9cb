namespace StatefulFunctions;

/// <summary>
/// The function-type-name rule of <c>[StatefulFunction("namespace/name")]</c>, compiled into both the generator
/// (which skips a function whose name breaks it) and the analyzers (which report SFN0002), so the two can never
/// disagree.
/// </summary>
internal static class FunctionTypeNames
{
    /// <summary>Splits <c>namespace/name</c>: exactly one '/', and neither part empty or blank. The parts are returned as written.</summary>
    public static bool TryParse(string? text, out string @namespace, out string name)
    {
        @namespace = name = string.Empty;
        if (text is null)
        {
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash < 0 || text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        var namespacePart = text.Substring(0, slash);
        var namePart = text.Substring(slash + 1);
        if (namespacePart.Trim().Length == 0 || namePart.Trim().Length == 0)
        {
            return false;
        }

        @namespace = namespacePart;
        name = namePart;
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is a valid function type name (see <see cref="TryParse"/>).</summary>
    public static bool IsValid(string? text) => TryParse(text, out _, out _);
}

using System.Text;

namespace StatefulFunctions;

/// <summary>
/// The state-name rule, compiled into both the generator (which names the stored state) and the analyzers (which
/// check names and the state contract baseline), so the two can never disagree.
/// </summary>
internal static class StateNames
{
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
}

using System.Text;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The limits on an address, checked wherever one enters the runtime (the client, routers' output, a handler's sends
/// and delayed sends, the HTTP endpoints) so that every address the runtime logs can be stored.
/// </summary>
internal static class AddressRules
{
    /// <summary>Why <paramref name="id"/> cannot be the id of an address, or null when it can; the reason completes "The id of an address …".</summary>
    public static string? ProblemWithId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return id is { Length: > 0 } ? "must not be only white space" : "must not be empty";
        }

        // Counted before anything else is looked at: an id of megabytes is refused after one pass over its characters.
        var bytes = id.Length <= Address.MaxIdBytes / 3 ? id.Length : Encoding.UTF8.GetByteCount(id);
        if (bytes > Address.MaxIdBytes)
        {
            return $"is at most {Address.MaxIdBytes:N0} bytes in UTF-8, not {bytes:N0}";
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsControl(c))
            {
                return $"must not contain control characters (U+{(int)c:X4} at character {i:N0})";
            }

            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"must be well-formed text: a lone surrogate (U+{(int)c:X4}) at character {i:N0} has no UTF-8 form";
            }
        }

        return null;
    }

    /// <summary>Throws when <paramref name="target"/>'s id cannot be the id of an address.</summary>
    /// <exception cref="ArgumentException">The id is empty, too long, or not plain text.</exception>
    public static void CheckId(Address target)
    {
        if (ProblemWithId(target.Id) is { } problem)
        {
            // No parameter name: the message is shown as it is, e.g. in an HTTP answer about a router's output.
            throw new ArgumentException($"The id of an address of '{target.Type}' {problem}.");
        }
    }

    /// <summary>Why a function type named <paramref name="name"/> cannot be registered, or null.</summary>
    public static string? ProblemWithFunctionType(TypeName name)
    {
        var bytes = Encoding.UTF8.GetByteCount(name.Namespace) + 1 + Encoding.UTF8.GetByteCount(name.Name);
        if (bytes > TypeName.MaxFunctionTypeBytes)
        {
            return $"is {bytes:N0} bytes in UTF-8; a function type name is at most {TypeName.MaxFunctionTypeBytes:N0}";
        }

        return name.ToString().Any(char.IsControl) ? "contains a control character" : null;
    }
}

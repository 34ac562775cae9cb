namespace StatefulFunctions;

/// <summary>A function type name: a namespace and a name, written <c>namespace/name</c> (e.g. <c>rides/driver</c>).</summary>
public readonly record struct TypeName
{
    /// <summary>
    /// The longest function type name, <c>namespace/name</c>, in UTF-8 bytes: 255. A longer one is refused when its
    /// function is registered.
    /// </summary>
    public const int MaxFunctionTypeBytes = 255;

    /// <summary>Creates a type name from its two parts.</summary>
    /// <exception cref="ArgumentException">A part is empty or contains <c>/</c>.</exception>
    public TypeName(string @namespace, string name)
    {
        Validate(@namespace, nameof(@namespace));
        Validate(name, nameof(name));
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>The namespace part, e.g. <c>rides</c>.</summary>
    public string Namespace { get; }

    /// <summary>The name part, e.g. <c>driver</c>.</summary>
    public string Name { get; }

    /// <summary>Parses <c>namespace/name</c>.</summary>
    /// <exception cref="FormatException">The text is not of the form <c>namespace/name</c> with two non-empty parts.</exception>
    public static TypeName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var typeName))
        {
            throw new FormatException($"'{text}' is not a function type name: expected 'namespace/name' with two non-empty parts and one '/'.");
        }

        return typeName;
    }

    /// <summary>Parses <c>namespace/name</c>, returning false when the text is not of that form.</summary>
    public static bool TryParse(string? text, out TypeName typeName)
    {
        typeName = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        typeName = new TypeName(text[..slash], text[(slash + 1)..]);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Namespace is null ? "" : $"{Namespace}/{Name}";

    private static void Validate(string part, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(part, parameter);
        if (part.Contains('/'))
        {
            throw new ArgumentException($"A type name part cannot contain '/': '{part}'.", parameter);
        }
    }
}

namespace StatefulFunctions.Runtime;

/// <summary>
/// The text of each function type name, formatted and parsed once instead of once per logged message. Not
/// thread-safe: used by the group commit thread (and by recovery before that thread starts).
/// </summary>
internal sealed class TypeNameCache
{
    private readonly Dictionary<TypeName, string> _texts = new();
    private readonly Dictionary<string, TypeName> _names = new(StringComparer.Ordinal);

    public string Text(TypeName name)
    {
        if (!_texts.TryGetValue(name, out var text))
        {
            _texts[name] = text = name.ToString();
        }

        return text;
    }

    public TypeName Parse(string text)
    {
        if (!_names.TryGetValue(text, out var name))
        {
            _names[text] = name = TypeName.Parse(text);
        }

        return name;
    }
}

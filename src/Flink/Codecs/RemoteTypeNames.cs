using System.Reflection;
using System.Text;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Flink.Codecs;

/// <summary>
/// The typename of a type that is not a built-in or protobuf one: its <c>[MessageType]</c> name, else its full name as
/// C# writes it (<c>System.Collections.Generic.List&lt;System.String&gt;</c>, not the CLR's assembly-qualified form).
/// Flink stores it with each state value and refuses a value of another typename, so renaming a persisted type
/// without <c>[MessageType]</c> breaks its stored state.
/// </summary>
internal static class RemoteTypeNames
{
    public static string Of(Type type)
    {
        if (type.GetCustomAttribute<MessageTypeAttribute>() is { } pinned)
        {
            return pinned.Name;
        }

        if (!type.IsGenericType && !type.IsArray)
        {
            return MessageTypeNames.Of(type);
        }

        var text = new StringBuilder();
        Append(text, type);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Type type)
    {
        if (type.IsArray)
        {
            Append(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (!type.IsGenericType)
        {
            text.Append(MessageTypeNames.Of(type));
            return;
        }

        var definition = MessageTypeNames.Of(type.GetGenericTypeDefinition());
        var tick = definition.IndexOf('`', StringComparison.Ordinal);
        text.Append(tick < 0 ? definition : definition[..tick]).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Append(text, arguments[i]);
        }

        text.Append('>');
    }
}

using System.Reflection;

namespace StatefulFunctions.Runtime;

/// <summary>The stable name of a type the runtime stores, as the generator names handled message types.</summary>
internal static class MessageTypeNames
{
    /// <summary><c>[MessageType]</c>'s name, else the full CLR name with nested types joined by '.'.</summary>
    public static string Of(Type type) =>
        type.GetCustomAttribute<MessageTypeAttribute>()?.Name ?? (type.FullName ?? type.Name).Replace('+', '.');
}

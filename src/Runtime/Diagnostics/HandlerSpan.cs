namespace StatefulFunctions.Runtime;

/// <summary>The name of the span of a function type handling one message type, and that message type's stable name.</summary>
internal readonly record struct HandlerSpan(string Name, string MessageType);

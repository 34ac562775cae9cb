namespace StatefulFunctions;

/// <summary>
/// Marks a message type that clients outside the application may send: over HTTP (<c>MapStatefulFunctions</c>),
/// a message can be sent to or asked of a function only when its type has this attribute. Every other message type
/// is internal: functions, routers and the in-process client send it, and over HTTP it does not exist (404, and never
/// listed). Mark the commands and queries of your API; leave the messages functions send each other unmarked.
/// </summary>
/// <remarks>
/// Whoever can reach the endpoints can send a public message to any instance of a function that handles it: check
/// in the handler what the sender may do, or put the endpoints behind authorization
/// (<c>MapStatefulFunctions(...).RequireAuthorization(policy)</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class PublicMessageAttribute : Attribute
{
}

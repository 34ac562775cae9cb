namespace StatefulFunctions.Generators.Model;

/// <summary>One message type a function handles: one case of its dispatch table, and the typed ask it may give.</summary>
/// <param name="MessageType">Fully qualified type the case matches (no nullable annotation, usable in a pattern and in <c>typeof</c>).</param>
/// <param name="InterfaceType">Fully qualified handler interface as implemented, e.g. <c>global::StatefulFunctions.IHandle&lt;global::Rides.RideRequested&gt;</c>.</param>
/// <param name="IsAsync">Whether the handler is <c>IHandleAsync&lt;T&gt;</c> or <c>IHandleAsync&lt;T, TReply&gt;</c>.</param>
/// <param name="MessageTypeName">Stable message type name: <c>[MessageType]</c> or the full CLR name.</param>
/// <param name="ReturnsReply">Whether the handler returns the reply (<c>IHandle&lt;T, TReply&gt;</c>, <c>IHandleAsync&lt;T, TReply&gt;</c>).</param>
/// <param name="ReplyType">
/// The fully qualified reply type a typed ask of this message gets: the handler's <c>TReply</c>, else the message's
/// <c>IAsk&lt;TReply&gt;</c>; empty when it has none.
/// </param>
/// <param name="AskAccessibility">How visible the typed ask can be (<c>public</c> or <c>internal</c>); empty when it cannot be given.</param>
/// <param name="ReplyStoredType">The reply type as stored (fully qualified, no nullable annotation, <c>Nullable&lt;T&gt;</c> unwrapped); empty when none.</param>
/// <param name="ReplyTypeName">The stable name the reply is stored under: <c>[MessageType]</c> or the full CLR name.</param>
/// <param name="AnswerOf">
/// For a handled <c>Reply&lt;TReply&gt;</c> (the answers to this function's own asks): the fully qualified <c>TReply</c>,
/// whose descriptor also makes those answers; else empty.
/// </param>
internal sealed record HandlerSpec(
    string MessageType,
    string InterfaceType,
    bool IsAsync,
    string MessageTypeName,
    bool ReturnsReply = false,
    string ReplyType = "",
    string AskAccessibility = "",
    string AnswerOf = "",
    string ReplyStoredType = "",
    string ReplyTypeName = "");

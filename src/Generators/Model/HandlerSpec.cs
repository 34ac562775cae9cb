namespace StatefulFunctions.Generators.Model;

/// <summary>One message type a function handles: one case of its dispatch table.</summary>
/// <param name="MessageType">Fully qualified type the case matches (no nullable annotation, usable in a pattern and in <c>typeof</c>).</param>
/// <param name="InterfaceType">Fully qualified handler interface as implemented, e.g. <c>global::StatefulFunctions.IHandle&lt;global::Rides.RideRequested&gt;</c>.</param>
/// <param name="IsAsync">Whether the handler is <c>IHandleAsync&lt;T&gt;</c>.</param>
/// <param name="MessageTypeName">Stable message type name: <c>[MessageType]</c> or the full CLR name.</param>
internal sealed record HandlerSpec(string MessageType, string InterfaceType, bool IsAsync, string MessageTypeName);

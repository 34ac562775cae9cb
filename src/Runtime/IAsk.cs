namespace StatefulFunctions;

/// <summary>
/// Implemented by a message type that expects a reply of type <typeparamref name="TReply"/>
/// (<c>public partial record GetBalance : IAsk&lt;decimal&gt;;</c>). It types the ask:
/// <c>await client.AskAsync(Account.At("ada"), new GetBalance())</c> is a <c>Task&lt;decimal&gt;</c>, with no cast.
/// </summary>
/// <typeparam name="TReply">The type of the reply.</typeparam>
#pragma warning disable CA1040 // Marker interface on purpose: it carries the reply type to the typed asks.
public interface IAsk<TReply>
#pragma warning restore CA1040
{
}

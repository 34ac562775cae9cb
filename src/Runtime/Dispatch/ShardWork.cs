namespace StatefulFunctions.Runtime;

/// <summary>An item of a shard's queue: a message, or a command that must run on the shard's loop.</summary>
internal abstract class ShardWork
{
}

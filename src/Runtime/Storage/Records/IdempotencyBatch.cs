using MemoryPack;

namespace StatefulFunctions.Storage;

/// <summary>
/// Many dedup records and outcomes in one LiteDB document of a checkpoint, instead of a document each: LiteDB does a
/// few thousand single-document writes per second, and a busy ingress accepts far more keyed messages than that. The
/// records of a batch expire close together (they are sorted by expiry before they are cut into batches), and the
/// document is deleted once the last of them has expired.
/// </summary>
[MemoryPackable]
internal sealed partial record IdempotencyBatch(List<LoggedIdempotencyKey> Keys, List<LoggedReply> Replies);

namespace StatefulFunctions.Runtime;

/// <summary>
/// What a scan of one segment found: the LSN after its last valid record, the byte offset just past that record,
/// and the offset just past the last non-zero byte (greater than <see cref="EndOffset"/> only when a torn tail
/// was found, whose bytes must be zeroed before appending).
/// </summary>
internal readonly record struct SegmentScanResult(long NextLsn, int EndOffset, int DirtyEnd);

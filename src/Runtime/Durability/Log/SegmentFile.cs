namespace StatefulFunctions.Runtime;

/// <summary>A segment of a <see cref="CommitLog"/> on disk: its path and the LSN of its first record.</summary>
internal readonly record struct SegmentFile(string Path, long FirstLsn);

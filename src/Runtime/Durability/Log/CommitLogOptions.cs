namespace StatefulFunctions.Runtime;

/// <summary>Settings of a <see cref="CommitLog"/>.</summary>
internal sealed class CommitLogOptions
{
    /// <summary>The default segment size: large enough that rolling (which zero-fills a whole file) is rare.</summary>
    public const long DefaultSegmentBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes each segment file is preallocated to. Writing the zeros up front means a later flush only syncs data
    /// blocks, never the file size or block map. A record that does not fit in a fresh segment gets a segment of
    /// its own size.
    /// </summary>
    public long SegmentBytes { get; init; } = DefaultSegmentBytes;

    internal void Validate()
    {
        // A floor keeps tests honest (several records per segment) and a ceiling keeps a segment readable into one array.
        if (SegmentBytes is < 1024 or > 1L << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentBytes), SegmentBytes, "A segment must be between 1 KiB and 1 GiB.");
        }
    }
}

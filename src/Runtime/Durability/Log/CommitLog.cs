// The commit log: the durable point of the runtime's group commit. Each group commit appends one record (an
// opaque payload) and then calls Flush once; a record is durable when the Flush after it returns.
//
// On-disk format (all integers little-endian):
//
//   Directory: segment files named "{firstLsn:D20}.log" (the LSN of the segment's first record). A segment is being
//   created under "{firstLsn:D20}.log.tmp" and renamed only once whole, so a leftover .tmp is deleted at open.
//
//   Segment (preallocated to CommitLogOptions.SegmentBytes by writing zeros, or larger for one big record):
//     offset  0  8 bytes  magic "SFCLOG\r\n"
//     offset  8  u32      format version (1)
//     offset 12  u32      reserved, 0
//     offset 16  u64      first LSN (must match the file name)
//     offset 24  u32      reserved, 0
//     offset 28  u32      CRC32C of bytes 0..27
//     offset 32  records, back to back, each starting at a multiple of 8, then zeros to the end of the file.
//
//   Record:
//     +0   u8    kind, 0xC7 (never 0: a zero byte where a record would start marks the end of the records)
//     +1   3     reserved, 0
//     +4   u32   payload length
//     +8   u64   LSN (consecutive record numbers from 1, never reused)
//     +16  u32   group index: how many records of the same write group come before this one. A write group is
//                what one write+sync put on disk; the index lets recovery tell a torn group from a damaged old one.
//     +20  u32   CRC32C of bytes +0..+19 followed by the payload
//     +24  payload, then zeros up to the next multiple of 8 (checked to be zero).
//
// Recovery (Open): every segment is scanned in order. A damaged record at the tail of the last segment (incomplete
// header, length past the end, bad checksum, junk after the end marker) with no valid record of a later write group
// after it is a torn write: the log ends before it and its bytes are zeroed, so later appends cannot be followed by
// stale data. Any other damage, a gap in LSNs or a file that is not a segment throws InvalidDataException naming the
// file and byte offset: valid data is never dropped silently.
using Microsoft.Win32.SafeHandles;

namespace StatefulFunctions.Runtime;

/// <summary>
/// An append-only log of opaque records in preallocated segment files, made durable by one fdatasync per flush.
/// </summary>
/// <remarks>
/// Not thread-safe by design: one writer (the group-commit thread) calls <see cref="Append"/>, <see cref="Flush"/>
/// and <see cref="TruncateBefore"/>; <see cref="ReadFrom"/> is for recovery at startup, before appending. The active
/// segment is opened with <see cref="FileShare.None"/>, which takes an advisory lock, so a second writer on the same
/// directory fails to open it.
/// </remarks>
internal sealed partial class CommitLog : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int ZeroChunkBytes = 1024 * 1024;

    private static readonly byte[] Zeros = new byte[ZeroChunkBytes];

    private readonly string _directory;
    private readonly CommitLogOptions _options;
    private readonly List<SegmentFile> _segments;
    private SafeFileHandle _active;
    private long _activeLength;

    // Bytes of the active segment already written; buffered records go to the file from here.
    private long _writtenEnd;
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _bufferedBytes;

    // The LSN of the first record written since the last sync: the start of the current write group.
    private long _groupFirstLsn;

    // Set when a write or sync failed: after a failed fsync the kernel may have dropped the dirty pages and
    // cleared the error, so retrying could report durability that does not exist. The log must be reopened.
    private bool _failed;
    private bool _disposed;

    private CommitLog(string directory, CommitLogOptions options, List<SegmentFile> segments, SafeFileHandle active, long writtenEnd, long nextLsn)
    {
        _directory = directory;
        _options = options;
        _segments = segments;
        _active = active;
        _activeLength = RandomAccess.GetLength(active);
        _writtenEnd = writtenEnd;
        NextLsn = nextLsn;
        _groupFirstLsn = nextLsn;
    }

    /// <summary>The LSN the next appended record gets.</summary>
    public long NextLsn { get; private set; }

    /// <summary>The LSN of the oldest record still kept (the first LSN of the oldest segment).</summary>
    public long FirstLsn => _segments[0].FirstLsn;

    /// <summary>Buffers one record and returns its LSN. It is not durable until <see cref="Flush"/> returns.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        ThrowIfUnusable();
        if (payload.Length > CommitLogFormat.MaxPayloadBytes)
        {
            throw new ArgumentException($"A commit log record holds at most {CommitLogFormat.MaxPayloadBytes} bytes.", nameof(payload));
        }

        var size = CommitLogFormat.RecordSize(payload.Length);
        if (_writtenEnd + _bufferedBytes + size > _activeLength)
        {
            Roll(size);
        }

        if (_bufferedBytes + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_bufferedBytes + size)));
        }

        var lsn = NextLsn;
        CommitLogFormat.WriteRecord(_buffer.AsSpan(_bufferedBytes, size), lsn, (uint)(lsn - _groupFirstLsn), payload);
        _bufferedBytes += size;
        NextLsn = lsn + 1;
        return lsn;
    }

    /// <summary>
    /// Writes the buffered records and makes them durable. When it returns, every record appended so far survives a
    /// crash. If it throws, the log is unusable and must be reopened (which recovers whatever did reach the disk).
    /// </summary>
    public void Flush()
    {
        ThrowIfUnusable();
        WriteAndSync();
    }

    /// <summary>
    /// The records with an LSN of at least <paramref name="lsn"/> in order, as written so far. For recovery at startup:
    /// call it before appending.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is before <see cref="FirstLsn"/> (truncated) or after <see cref="NextLsn"/>.</exception>
    public IEnumerable<CommitLogRecord> ReadFrom(long lsn)
    {
        ThrowIfUnusable();
        if (lsn < FirstLsn || lsn > NextLsn)
        {
            throw new ArgumentOutOfRangeException(nameof(lsn), lsn, $"The log holds LSNs {FirstLsn} to {NextLsn - 1}.");
        }

        return Read(lsn);
    }

    /// <summary>
    /// Deletes the segments whose records all have an LSN below <paramref name="lsn"/> (a checkpoint covers them).
    /// The segment being written is always kept, so <see cref="NextLsn"/> survives a reopen.
    /// </summary>
    public void TruncateBefore(long lsn)
    {
        ThrowIfUnusable();
        var deletable = 0;
        while (deletable + 1 < _segments.Count && _segments[deletable + 1].FirstLsn <= lsn)
        {
            deletable++;
        }

        if (deletable == 0)
        {
            return;
        }

        // Oldest first, so a crash part-way leaves a contiguous suffix of the log.
        for (var i = 0; i < deletable; i++)
        {
            File.Delete(_segments[i].Path);
        }

        _segments.RemoveRange(0, deletable);

        // Without this the file system could bring a deleted segment back after a crash while a later deletion
        // stuck, leaving a gap that the next Open reports as corruption.
        FileDurability.FlushDirectory(_directory);
    }

    /// <summary>Closes the files. Records appended since the last <see cref="Flush"/> are discarded, as in a crash.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _active.Dispose();
        }
    }

    private IEnumerable<CommitLogRecord> Read(long lsn)
    {
        for (var i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            var isActive = i == _segments.Count - 1;
            if (!isActive && _segments[i + 1].FirstLsn <= lsn)
            {
                continue;
            }

            // Open already validated everything and zeroed a torn tail, so any damage found now is corruption.
            var bytes = isActive ? ReadAll(_active, _writtenEnd) : ReadWholeFile(segment.Path);
            var records = new List<CommitLogRecord>();
            _ = CommitLogSegmentScanner.Scan(segment.Path, bytes, segment.FirstLsn, tolerateTornTail: false, records, lsn);
            foreach (var record in records)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Starts a new segment for a record of <paramref name="recordSize"/> bytes. The current segment is written and
    /// synced first, so a segment only ever exists after its predecessor is complete and durable: recovery can then
    /// treat damage in any segment but the last as corruption.
    /// </summary>
    private void Roll(int recordSize)
    {
        WriteAndSync();
        var next = new SegmentFile(Path.Combine(_directory, CommitLogFormat.SegmentFileName(NextLsn)), NextLsn);
        var bytes = Math.Max(_options.SegmentBytes, (long)CommitLogFormat.SegmentHeaderBytes + recordSize);
        _active.Dispose();
        if (_segments[^1].FirstLsn == NextLsn)
        {
            // The active segment holds no record (a big record does not fit in a fresh one): the new segment
            // takes its name and replaces it atomically by the rename.
            _segments.RemoveAt(_segments.Count - 1);
        }

        try
        {
            _active = CreateSegment(_directory, next, bytes);
        }
        catch
        {
            _failed = true;
            throw;
        }

        _segments.Add(next);
        _activeLength = bytes;
        _writtenEnd = CommitLogFormat.SegmentHeaderBytes;
    }

    private void WriteAndSync()
    {
        if (_bufferedBytes == 0)
        {
            return;
        }

        try
        {
            RandomAccess.Write(_active, _buffer.AsSpan(0, _bufferedBytes), _writtenEnd);
            FileDurability.FlushData(_active, _segments[^1].Path);
        }
        catch
        {
            _failed = true;
            throw;
        }

        _writtenEnd += _bufferedBytes;
        _bufferedBytes = 0;
        _groupFirstLsn = NextLsn;
        if (_buffer.Length > 16 * InitialBufferBytes)
        {
            // A huge record grew the buffer; do not keep that memory for the usual small batches.
            _buffer = new byte[InitialBufferBytes];
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException("A write or sync of the commit log failed; reopen the log to recover what is durable.");
        }
    }
}

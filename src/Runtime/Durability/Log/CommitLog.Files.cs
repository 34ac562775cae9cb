using Microsoft.Win32.SafeHandles;

namespace StatefulFunctions.Runtime;

// Opening a log (finding its segments and where it ends) and the file operations under it.
internal sealed partial class CommitLog
{
    /// <summary>
    /// Opens the log in <paramref name="directory"/>, creating the directory and a first segment when missing;
    /// validates every segment and drops a torn tail.
    /// </summary>
    /// <exception cref="InvalidDataException">A segment is corrupt, missing from the sequence, or not a segment.</exception>
    public static CommitLog Open(string directory, CommitLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new CommitLogOptions();
        options.Validate();
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(directory)) is { } parent)
            {
                FileDurability.FlushDirectory(parent);
            }
        }

        var segments = new List<SegmentFile>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(CommitLogFormat.TemporaryExtension, StringComparison.Ordinal)
                && CommitLogFormat.TryParseSegmentFileName(name[..^4], out _))
            {
                // A segment whose creation a crash interrupted; it never held a record.
                File.Delete(path);
            }
            else if (CommitLogFormat.TryParseSegmentFileName(name, out var firstLsn))
            {
                segments.Add(new SegmentFile(path, firstLsn));
            }
        }

        if (segments.Count == 0)
        {
            var first = new SegmentFile(Path.Combine(directory, CommitLogFormat.SegmentFileName(1)), 1);
            var handle = CreateSegment(directory, first, options.SegmentBytes);
            return new CommitLog(directory, options, [first], handle, CommitLogFormat.SegmentHeaderBytes, 1);
        }

        segments.Sort((a, b) => a.FirstLsn.CompareTo(b.FirstLsn));
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var scan = CommitLogSegmentScanner.Scan(segments[i].Path, ReadWholeFile(segments[i].Path), segments[i].FirstLsn, tolerateTornTail: false);
            if (scan.NextLsn != segments[i + 1].FirstLsn)
            {
                throw new InvalidDataException(
                    $"Commit log segment '{segments[i + 1].Path}' is corrupt at byte offset 0: it starts at LSN {segments[i + 1].FirstLsn}, " +
                    $"but the previous segment '{segments[i].Path}' ends before LSN {scan.NextLsn}.");
            }
        }

        var last = segments[^1];
        var active = File.OpenHandle(last.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var bytes = ReadAll(active, RandomAccess.GetLength(active));
            var tail = CommitLogSegmentScanner.Scan(last.Path, bytes, last.FirstLsn, tolerateTornTail: true);
            if (tail.DirtyEnd > tail.EndOffset)
            {
                // Zero the torn bytes now (and durably), before anything is appended after the last valid record.
                WriteZeros(active, tail.EndOffset, tail.DirtyEnd);
                FileDurability.FlushData(active, last.Path);
            }

            return new CommitLog(directory, options, segments, active, tail.EndOffset, tail.NextLsn);
        }
        catch
        {
            active.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a segment durably: header and zeros are written and synced under a temporary name, renamed into place,
    /// and the directory is synced, so the segment is either absent or whole after a crash.
    /// </summary>
    private static SafeFileHandle CreateSegment(string directory, SegmentFile segment, long bytes)
    {
        var temporary = segment.Path + ".tmp";
        File.Delete(temporary);
        var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            Span<byte> header = stackalloc byte[CommitLogFormat.SegmentHeaderBytes];
            CommitLogFormat.WriteSegmentHeader(header, segment.FirstLsn);
            RandomAccess.Write(handle, header, 0);
            WriteZeros(handle, CommitLogFormat.SegmentHeaderBytes, bytes);
            FileDurability.FlushAll(handle);
            File.Move(temporary, segment.Path, overwrite: true);
            FileDurability.FlushDirectory(directory);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void WriteZeros(SafeFileHandle handle, long from, long to)
    {
        for (var offset = from; offset < to; offset += ZeroChunkBytes)
        {
            RandomAccess.Write(handle, Zeros.AsSpan(0, (int)Math.Min(ZeroChunkBytes, to - offset)), offset);
        }
    }

    private static byte[] ReadWholeFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadAll(handle, RandomAccess.GetLength(handle));
    }

    private static byte[] ReadAll(SafeFileHandle handle, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"A commit log segment of {length} bytes is larger than this format allows.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        var read = 0;
        while (read < bytes.Length)
        {
            var count = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (count == 0)
            {
                throw new EndOfStreamException($"The commit log segment ended after {read} of {length} bytes while being read.");
            }

            read += count;
        }

        return bytes;
    }
}

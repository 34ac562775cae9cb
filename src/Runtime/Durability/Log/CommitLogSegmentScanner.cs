namespace StatefulFunctions.Runtime;

/// <summary>
/// Validates one segment's bytes record by record, telling a torn tail (the expected result of a crash during an
/// unfinished write) from corruption (damage to data that was already durable), which must never be dropped silently.
/// </summary>
internal static class CommitLogSegmentScanner
{
    /// <summary>
    /// Scans <paramref name="segment"/> (a whole segment file, or the written part of the active one).
    /// <paramref name="tolerateTornTail"/> is true only for the last segment at open: only there can an
    /// interrupted write have left a damaged tail. Records with an LSN of at least <paramref name="collectFrom"/> are
    /// added to <paramref name="records"/> (their payloads point into <paramref name="segment"/>).
    /// </summary>
    public static SegmentScanResult Scan(
        string path,
        byte[] segment,
        long firstLsn,
        bool tolerateTornTail,
        List<CommitLogRecord>? records = null,
        long collectFrom = long.MaxValue)
    {
        if (CommitLogFormat.CheckSegmentHeader(segment, firstLsn) is { } headerProblem)
        {
            throw Corrupt(path, 0, $"it is not a commit log segment: {headerProblem}");
        }

        var offset = CommitLogFormat.SegmentHeaderBytes;
        var nextLsn = firstLsn;
        while (offset < segment.Length)
        {
            string? problem;
            if (segment[offset] == 0)
            {
                // A zero kind byte is the end marker: preallocated space is zeros. Anything non-zero after it is
                // left over from a write that did not finish (or is damage), and is judged like a bad record.
                var garbage = segment.AsSpan(offset).IndexOfAnyExcept((byte)0);
                if (garbage < 0)
                {
                    return new SegmentScanResult(nextLsn, offset, offset);
                }

                problem = $"non-zero bytes at offset {offset + garbage} follow the end of the records";
            }
            else
            {
                problem = CommitLogFormat.CheckRecord(segment, offset, out var lsn, out var length, out var groupIndex);
                if (problem is null)
                {
                    // A record whose checksum holds cannot come from a torn write, so a wrong LSN is always corruption.
                    if (lsn != nextLsn || groupIndex >= lsn)
                    {
                        throw Corrupt(path, offset, $"expected the record with LSN {nextLsn}, found LSN {lsn} (group index {groupIndex})");
                    }

                    if (records is not null && lsn >= collectFrom)
                    {
                        records.Add(new CommitLogRecord(lsn, segment.AsMemory(offset + CommitLogFormat.RecordHeaderBytes, length)));
                    }

                    offset += CommitLogFormat.RecordSize(length);
                    nextLsn++;
                    continue;
                }
            }

            if (!tolerateTornTail)
            {
                throw Corrupt(path, offset, problem + "; only the tail of the last segment can be torn by a crash");
            }

            EnsureNothingDurableFollows(path, segment, offset, nextLsn, problem);
            var dirtyEnd = offset + segment.AsSpan(offset).LastIndexOfAnyExcept((byte)0) + 1;
            return new SegmentScanResult(nextLsn, offset, dirtyEnd);
        }

        return new SegmentScanResult(nextLsn, offset, offset);
    }

    /// <summary>
    /// The record at <paramref name="badOffset"/> (LSN <paramref name="badLsn"/>) is damaged. That is a torn write only
    /// if it was never durable. The writer syncs each write group before writing the next, so a valid record of a
    /// LATER group anywhere after it proves the damaged record had been synced: that is corruption. Valid records of
    /// the SAME group may follow legitimately (a crash can persist a write's pages out of order) and are dropped
    /// with it: they were never reported durable. A corrupt record in the last group on disk cannot be told from
    /// a torn one; that is the one case this format resolves as torn.
    /// </summary>
    private static void EnsureNothingDurableFollows(string path, byte[] segment, int badOffset, long badLsn, string problem)
    {
        // Records start at multiples of 8, so only those offsets are candidates; IndexOf skips zeros quickly.
        var candidate = badOffset + CommitLogFormat.Alignment;
        while (candidate + CommitLogFormat.RecordHeaderBytes <= segment.Length)
        {
            var found = segment.AsSpan(candidate).IndexOf(CommitLogFormat.RecordKind);
            if (found < 0)
            {
                return;
            }

            candidate = CommitLogFormat.Align(candidate + found);
            if (candidate + CommitLogFormat.RecordHeaderBytes > segment.Length)
            {
                return;
            }

            if (CommitLogFormat.CheckRecord(segment, candidate, out var lsn, out var length, out var groupIndex) is not null)
            {
                candidate += CommitLogFormat.Alignment;
                continue;
            }

            var groupFirstLsn = lsn - groupIndex;
            if (lsn < badLsn || groupFirstLsn > badLsn)
            {
                throw Corrupt(
                    path,
                    badOffset,
                    $"{problem}, but a valid record written by a later flush (LSN {lsn}) follows at offset {candidate}, so the damaged record had been made durable");
            }

            candidate += CommitLogFormat.RecordSize(length);
        }
    }

    private static InvalidDataException Corrupt(string path, long offset, string problem) =>
        new($"Commit log segment '{path}' is corrupt at byte offset {offset}: {problem}.");
}

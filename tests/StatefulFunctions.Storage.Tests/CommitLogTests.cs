using StatefulFunctions.Runtime;

namespace StatefulFunctions.Storage.Tests;

/// <summary>
/// The commit log on real files: what was flushed comes back in order after a reopen, torn tails are dropped, and
/// damage to durable data is reported rather than silently cut off.
/// </summary>
public sealed class CommitLogTests : IDisposable
{
    private const int SmallSegment = 8 * 1024;

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_thousand_records_of_varied_sizes_come_back_in_order_across_segments_after_a_reopen()
    {
        var sizes = Enumerable.Range(1, 1_000).Select(i => i % 10 == 0 ? 0 : i % 97 == 0 ? SmallSegment + 2_000 : i * 131 % 700).ToArray();
        var random = new Random(7);
        using (var log = Open())
        {
            Assert.Equal(1, log.NextLsn);
            for (var i = 0; i < sizes.Length;)
            {
                var group = random.Next(1, 20);
                for (var j = 0; j < group && i < sizes.Length; j++, i++)
                {
                    Assert.Equal(i + 1, log.Append(Payload(i + 1, sizes[i])));
                }

                log.Flush();
            }
        }

        Assert.True(SegmentFiles().Length > 10, $"only {SegmentFiles().Length} segments");
        using (var log = Open())
        {
            Assert.Equal(1_001, log.NextLsn);
            var records = ReadAll(log, 1);
            Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), records.Select(r => r.Lsn));
            foreach (var (lsn, payload) in records)
            {
                Assert.Equal(Payload(lsn, sizes[lsn - 1]), payload);
            }

            var fromMiddle = ReadAll(log, 500);
            Assert.Equal(Enumerable.Range(500, 501).Select(i => (long)i), fromMiddle.Select(r => r.Lsn));
            Assert.Empty(ReadAll(log, 1_001));

            Assert.Equal(1_001, log.Append(Payload(1_001, 5)));
            log.Flush();
        }

        using (var log = Open())
        {
            Assert.Equal(1_002, log.NextLsn);
            Assert.Equal(Payload(1_001, 5), ReadAll(log, 1_001).Single().Payload);
        }
    }

    [Fact]
    public void A_new_folder_is_created_and_records_never_flushed_are_gone_after_a_reopen()
    {
        var folder = Path.Combine(_folder.Path, "nested", "log");
        using (var log = CommitLog.Open(folder, new CommitLogOptions { SegmentBytes = SmallSegment }))
        {
            Assert.Equal(1, log.NextLsn);
            Assert.Empty(log.ReadFrom(1));
            log.Append(Payload(1, 10));
            log.Flush();
            log.Append(Payload(2, 10));
        }

        using (var log = CommitLog.Open(folder, new CommitLogOptions { SegmentBytes = SmallSegment }))
        {
            Assert.Equal(2, log.NextLsn);
            Assert.Equal([1L], log.ReadFrom(1).Select(r => r.Lsn));
        }
    }

    [Fact]
    public void A_torn_last_record_is_dropped_at_every_byte_it_could_be_cut_at_and_appending_afterwards_survives_a_reopen()
    {
        var torn = WriteFiveRecordsThenOne(out var segment, out var before, out var after, out var offset, out var length);
        Assert.Equal(6, torn);

        for (var cut = 0; cut < length; cut++)
        {
            // Only the first `cut` bytes reached the disk.
            var image = (byte[])before.Clone();
            after.AsSpan(offset, cut).CopyTo(image.AsSpan(offset));
            AssertRecoversFiveRecordsAndAppends(segment, image, $"prefix of {cut} bytes");
        }

        for (var cut = 1; cut < length; cut++)
        {
            // Only the bytes after `cut` reached the disk: pages of one write can land out of order.
            var image = (byte[])before.Clone();
            after.AsSpan(offset + cut, length - cut).CopyTo(image.AsSpan(offset + cut));
            AssertRecoversFiveRecordsAndAppends(segment, image, $"suffix from byte {cut}");
        }
    }

    [Fact]
    public void A_torn_write_group_is_dropped_whole_even_when_later_records_of_the_same_group_reached_the_disk()
    {
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 5);
            for (var lsn = 6; lsn <= 8; lsn++)
            {
                log.Append(Payload(lsn, 100));
            }

            log.Flush();
        }

        var segment = SegmentFiles().Single();
        var image = File.ReadAllBytes(segment);
        image[RecordOffset(1, 6) + 30] ^= 0x01; // Record 6 torn; 7 and 8 intact.
        File.WriteAllBytes(segment, image);

        using (var log = Open())
        {
            Assert.Equal(6, log.NextLsn);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), log.ReadFrom(1).Select(r => r.Lsn));
            // Same size as the torn record, so the old records 7 and 8 would follow it exactly had the torn tail
            // not been zeroed, and would come back as if valid.
            Assert.Equal(6, log.Append(Payload(60, 100)));
            log.Flush();
        }

        using (var log = Open())
        {
            Assert.Equal(7, log.NextLsn);
            Assert.Equal(Payload(60, 100), log.ReadFrom(6).Single().Payload.ToArray());
        }
    }

    [Fact]
    public void A_flipped_byte_in_a_record_of_the_last_segment_followed_by_later_flushes_is_reported_with_file_and_offset()
    {
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 10);
        }

        var segment = SegmentFiles().Single();
        AssertEveryFlippedByteIsReported(segment, RecordOffset(1, 3), CommitLogFormat.RecordSize(100));
    }

    [Fact]
    public void A_flipped_byte_in_a_segment_before_the_last_is_reported_with_file_and_offset()
    {
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 200);
        }

        var segments = SegmentFiles();
        Assert.True(segments.Length >= 3);
        var last = segments[^1];
        var image = File.ReadAllBytes(segments[0]);
        // The final record of the first segment: nothing of that segment follows it, only the next segments.
        var perSegment = (SmallSegment - CommitLogFormat.SegmentHeaderBytes) / CommitLogFormat.RecordSize(100);
        AssertEveryFlippedByteIsReported(segments[0], RecordOffset(1, perSegment), CommitLogFormat.RecordSize(100));
        Assert.Equal(image, File.ReadAllBytes(segments[0]));

        // Junk after the end of the records of a segment that is not the last is corruption too.
        image[^1] = 0x55;
        File.WriteAllBytes(segments[0], image);
        var error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(segments[0], error.Message, StringComparison.Ordinal);
        Assert.Contains("non-zero bytes", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(last));
    }

    [Fact]
    public void A_file_named_like_a_segment_that_is_not_one_is_reported()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "notes.txt"), "ignored: not named like a segment");
        var foreign = Path.Combine(_folder.Path, "00000000000000000001.log");
        File.WriteAllText(foreign, "2024-05-01 12:00:00 INFO an application log that happens to live here\n");

        var error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(foreign, error.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a commit log segment", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(foreign), "a foreign file must never be deleted or rewritten");
    }

    [Fact]
    public void A_segment_renamed_to_another_lsn_or_a_missing_segment_is_reported()
    {
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 200);
        }

        var segments = SegmentFiles();
        var renamed = Path.Combine(_folder.Path, "00000000000000099999.log");
        File.Copy(segments[^1], renamed);
        var error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(renamed, error.Message, StringComparison.Ordinal);
        File.Delete(renamed);

        File.Delete(segments[1]);
        error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(segments[2], error.Message, StringComparison.Ordinal);
        Assert.Contains("ends before LSN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_segment_whose_creation_was_interrupted_is_discarded()
    {
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 3);
        }

        var leftover = Path.Combine(_folder.Path, "00000000000000000004.log.tmp");
        File.WriteAllBytes(leftover, new byte[100]);
        using (var log = Open())
        {
            Assert.Equal(4, log.NextLsn);
        }

        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void Truncating_deletes_only_whole_segments_below_the_lsn_and_a_reopen_reads_from_the_first_kept_lsn()
    {
        long firstKept;
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 300);
            var before = SegmentFiles();
            log.TruncateBefore(150);
            var after = SegmentFiles();

            firstKept = log.FirstLsn;
            Assert.InRange(firstKept, 2, 150);
            Assert.Equal(before.SkipWhile(s => FirstLsnOf(s) < firstKept), after);
            Assert.True(after.Length < 2 || FirstLsnOf(after[1]) > 150, "the segment holding LSN 150 must be kept");
            Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadFrom(firstKept - 1));
            AppendAndFlush(log, 301, 1);
        }

        using (var log = Open())
        {
            Assert.Equal(firstKept, log.FirstLsn);
            Assert.Equal(302, log.NextLsn);
            var records = ReadAll(log, firstKept);
            Assert.Equal(Enumerable.Range((int)firstKept, 302 - (int)firstKept).Select(i => (long)i), records.Select(r => r.Lsn));
            Assert.All(records, r => Assert.Equal(Payload(r.Lsn, 100), r.Payload));

            log.TruncateBefore(1_000);
            Assert.Single(SegmentFiles());
            Assert.Equal(302, log.NextLsn);
        }

        using (var log = Open())
        {
            Assert.Equal(302, log.NextLsn);
            Assert.Equal(301, ReadAll(log, log.FirstLsn)[^1].Lsn);
        }
    }

    private static byte[] Payload(long lsn, int size)
    {
        var payload = new byte[size];
        for (var i = 0; i < size; i++)
        {
            payload[i] = (byte)((lsn * 31) + (i * 7) + 1);
        }

        return payload;
    }

    private static void AppendAndFlush(CommitLog log, long firstLsn, int count, int size = 100)
    {
        for (var lsn = firstLsn; lsn < firstLsn + count; lsn++)
        {
            Assert.Equal(lsn, log.Append(Payload(lsn, size)));
            log.Flush();
        }
    }

    /// <summary>Byte offset of record <paramref name="lsn"/> in a segment starting at <paramref name="firstLsn"/> whose records all have 100-byte payloads.</summary>
    private static int RecordOffset(long firstLsn, long lsn) =>
        CommitLogFormat.SegmentHeaderBytes + ((int)(lsn - firstLsn) * CommitLogFormat.RecordSize(100));

    private static long FirstLsnOf(string segment) => long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);

    private static List<(long Lsn, byte[] Payload)> ReadAll(CommitLog log, long from) =>
        log.ReadFrom(from).Select(r => (r.Lsn, r.Payload.ToArray())).ToList();

    private CommitLog Open() => CommitLog.Open(_folder.Path, new CommitLogOptions { SegmentBytes = SmallSegment });

    private string[] SegmentFiles() => Directory.GetFiles(_folder.Path, "*.log").Order(StringComparer.Ordinal).ToArray();

    private long WriteFiveRecordsThenOne(out string segment, out byte[] before, out byte[] after, out int offset, out int length)
    {
        long torn;
        using (var log = Open())
        {
            AppendAndFlush(log, 1, 5);
        }

        // The open log holds the active segment exclusively, so the file is read between sessions.
        segment = SegmentFiles().Single();
        before = File.ReadAllBytes(segment);
        using (var log = Open())
        {
            torn = log.Append(Payload(6, 173));
            log.Flush();
        }

        after = File.ReadAllBytes(segment);
        offset = RecordOffset(1, 6);
        length = CommitLogFormat.RecordHeaderBytes + 173;
        Assert.Equal(before.AsSpan(0, offset), after.AsSpan(0, offset));
        return torn;
    }

    private void AssertRecoversFiveRecordsAndAppends(string segment, byte[] image, string what)
    {
        File.WriteAllBytes(segment, image);
        using (var log = Open())
        {
            Assert.True(log.NextLsn == 6, $"{what}: NextLsn {log.NextLsn}");
            Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), log.ReadFrom(1).Select(r => r.Lsn));
            Assert.Equal(6, log.Append(Payload(6, 40)));
            log.Flush();
        }

        using (var log = Open())
        {
            Assert.True(log.NextLsn == 7, $"{what}: NextLsn {log.NextLsn} after the append");
            var records = ReadAll(log, 1);
            Assert.Equal(Payload(6, 40), records[^1].Payload);
            Assert.Equal(Payload(5, 100), records[^2].Payload);
        }
    }

    private void AssertEveryFlippedByteIsReported(string segment, int recordOffset, int recordSize)
    {
        var original = File.ReadAllBytes(segment);
        for (var i = recordOffset; i < recordOffset + recordSize; i++)
        {
            var image = (byte[])original.Clone();
            image[i] ^= 0x10;
            File.WriteAllBytes(segment, image);
            var error = Assert.Throws<InvalidDataException>(() => Open());
            Assert.Contains(segment, error.Message, StringComparison.Ordinal);
            Assert.Contains($"byte offset {recordOffset}:", error.Message, StringComparison.Ordinal);
            Assert.Equal(image, File.ReadAllBytes(segment)); // Damage is reported, never "repaired" away.
        }

        File.WriteAllBytes(segment, original);
    }
}

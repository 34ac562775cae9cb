using System.Buffers.Binary;
using System.Diagnostics;

namespace StatefulFunctions.Benchmarks;

/// <summary>
/// The baseline of durable mode: appending fixed-size records to a preallocated file with one
/// <see cref="RandomAccess.FlushToDisk"/> (fsync) per batch, as the commit log does with one record and one
/// fdatasync per group commit. Records of 64 bytes in batches of 1,000 approximate the volume of a durable one-hop run.
/// </summary>
internal static class RawAppend
{
    public const int RecordBytes = 64;
    public const int BatchRecords = 1_000;

    /// <summary>Appends <paramref name="records"/> records; the result's rate is records per second, its latencies per flush (write + fsync).</summary>
    public static Task<RunResult> RunAsync(int records) => Task.Run(() => Run(records));

    private static RunResult Run(int records)
    {
        var folder = Directory.CreateTempSubdirectory("sf-bench-raw-");
        try
        {
            var total = (long)RecordBytes * records;
            using var flushes = new LatencyHistogram();
            TimeSpan elapsed;
            using (var handle = File.OpenHandle(Path.Combine(folder.FullName, "append.bin"), FileMode.CreateNew, FileAccess.ReadWrite))
            {
                // Preallocate with written zeros (as the commit log's segments are), so appends change no file size.
                var zeros = new byte[1 << 20];
                for (long offset = 0; offset < total; offset += zeros.Length)
                {
                    RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, total - offset)), offset);
                }

                RandomAccess.FlushToDisk(handle);

                var batch = new byte[RecordBytes * BatchRecords];
                var started = Stopwatch.GetTimestamp();
                long position = 0;
                for (var written = 0; written < records; written += BatchRecords)
                {
                    var count = Math.Min(BatchRecords, records - written);
                    for (var i = 0; i < count; i++)
                    {
                        var record = batch.AsSpan(i * RecordBytes, RecordBytes);
                        BinaryPrimitives.WriteInt64LittleEndian(record, written + i + 1);
                        record[8..].Fill((byte)(written + i));
                    }

                    var flushStarted = Stopwatch.GetTimestamp();
                    RandomAccess.Write(handle, batch.AsSpan(0, count * RecordBytes), position);
                    RandomAccess.FlushToDisk(handle);
                    flushes.Record(Stopwatch.GetTimestamp() - flushStarted);
                    position += count * RecordBytes;
                }

                elapsed = Stopwatch.GetElapsedTime(started);

                // Check: every record is where it was appended.
                var check = new byte[8];
                foreach (var index in new long[] { 0, records / 2, records - 1 })
                {
                    RandomAccess.Read(handle, check, index * RecordBytes);
                    var stored = BinaryPrimitives.ReadInt64LittleEndian(check);
                    if (stored != index + 1)
                    {
                        throw new BenchmarkFailedException($"record {index} reads back as {stored}, expected {index + 1}");
                    }
                }

                if (position != total)
                {
                    throw new BenchmarkFailedException($"appended {position} bytes, expected {total}");
                }
            }

            return new RunResult(
                records / elapsed.TotalSeconds,
                flushes.PercentileMicroseconds(50),
                flushes.PercentileMicroseconds(99),
                Scenario.ReadRssMegabytes());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

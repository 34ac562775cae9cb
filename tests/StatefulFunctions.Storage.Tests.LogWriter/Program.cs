using System.Diagnostics;
using System.Globalization;
using StatefulFunctions.Runtime;
using StatefulFunctions.Storage.Tests.LogWriter;

// Two modes:
//   write <directory> <segmentBytes> <seed>  appends records (payload = RecordPayload.Create(lsn)) in groups, flushing
//                                           each group and printing "durable <lsn> ok" once Flush returned; runs until
//                                           killed (the crash test sends SIGKILL).
//   --measure [directory]                    reports flushes/s and records/s for 64-byte records, 100 and 1,000 per flush.
if (args is ["write", var directory, var segmentBytes, var seed])
{
    Write(directory, long.Parse(segmentBytes, CultureInfo.InvariantCulture), int.Parse(seed, CultureInfo.InvariantCulture));
    return 0;
}

if (args is ["--measure", ..])
{
    Measure(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "commitlog-measure-" + Guid.NewGuid().ToString("N")));
    return 0;
}

Console.Error.WriteLine("usage: write <directory> <segmentBytes> <seed> | --measure [directory]");
return 2;

static void Write(string directory, long segmentBytes, int seed)
{
#pragma warning disable CA5394 // Not security: group sizes only.
    var random = new Random(seed);
    using var log = CommitLog.Open(directory, new CommitLogOptions { SegmentBytes = segmentBytes });
    while (true)
    {
        var group = random.Next(1, 40);
#pragma warning restore CA5394
        var last = 0L;
        for (var i = 0; i < group; i++)
        {
            var expected = log.NextLsn;
            last = log.Append(RecordPayload.Create(expected));
            if (last != expected)
            {
                throw new InvalidOperationException($"Append returned LSN {last}, expected {expected}.");
            }
        }

        log.Flush();
        Console.Out.WriteLine($"durable {last} ok");
    }
}

static void Measure(string directory)
{
    try
    {
        var payload = new byte[64];
        Console.WriteLine($"commit log throughput, 64-byte records, default 64 MiB segments, in {directory}");
        foreach (var perFlush in (int[])[100, 1_000])
        {
            using var log = CommitLog.Open(Path.Combine(directory, perFlush.ToString(CultureInfo.InvariantCulture)));
            var flushes = 0L;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                for (var i = 0; i < perFlush; i++)
                {
                    log.Append(payload);
                }

                log.Flush();
                flushes++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{perFlush,5} records/flush: {flushes / seconds,10:N0} flushes/s {flushes * perFlush / seconds,12:N0} records/s ({flushes:N0} flushes in {seconds:N1} s)"));
        }
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

using System.Buffers.Binary;

namespace StatefulFunctions.Storage.Tests.LogWriter;

/// <summary>
/// The payload of record <c>lsn</c> in the crash test: the LSN as 8 bytes, then padding that is pseudo-random but
/// derived from the LSN, so the test can check every byte the killed writer left behind.
/// </summary>
public static class RecordPayload
{
    /// <summary>Every 97th record is larger than the crash test's 64 KiB segments, so it gets a segment of its own.</summary>
    public static byte[] Create(long lsn)
    {
        var padding = lsn % 97 == 0 ? 70_000 : (int)(lsn * 37 % 301);
        var payload = new byte[sizeof(long) + padding];
        BinaryPrimitives.WriteInt64LittleEndian(payload, lsn);
#pragma warning disable CA5394 // Not security: reproducible filler.
        new Random(unchecked((int)lsn)).NextBytes(payload.AsSpan(sizeof(long)));
#pragma warning restore CA5394
        return payload;
    }
}

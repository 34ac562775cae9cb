using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace StatefulFunctions.Storage;

/// <summary>The address (as text) and key of a stored dedup record.</summary>
internal readonly record struct IdempotencyRecordKey(string TargetType, string TargetId, string Key)
{
    /// <summary>
    /// The 64-bit fingerprint that finds the record in the checkpoint store: XxHash3 of the UTF-8 function type, id and
    /// key, each followed by a zero byte. Two keys may share one (the store is then read for nothing); one key has the
    /// same in every process.
    /// </summary>
    public long Fingerprint()
    {
        var length = Encoding.UTF8.GetByteCount(TargetType) + Encoding.UTF8.GetByteCount(TargetId) + Encoding.UTF8.GetByteCount(Key) + 3;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var part in (ReadOnlySpan<string>)[TargetType, TargetId, Key])
            {
                written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
                buffer[written++] = 0;
            }

            return (long)XxHash3.HashToUInt64(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

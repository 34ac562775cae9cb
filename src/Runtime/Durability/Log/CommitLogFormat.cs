using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The on-disk layout of commit log segments and records (described at the top of CommitLog.cs): constants,
/// CRC32C, and encoding/validation of the two headers. All integers are little-endian.
/// </summary>
internal static class CommitLogFormat
{
    public const int SegmentHeaderBytes = 32;
    public const int RecordHeaderBytes = 24;
    public const int Alignment = 8;
    public const uint Version = 1;

    /// <summary>Never zero, so the zeros of preallocated space can never be mistaken for a record.</summary>
    public const byte RecordKind = 0xC7;

    /// <summary>Payloads are capped so a record, and so its own segment, always fits in one array.</summary>
    public const int MaxPayloadBytes = 1024 * 1024 * 1024;

    public const string SegmentExtension = ".log";
    public const string TemporaryExtension = ".log.tmp";

    public static ReadOnlySpan<byte> SegmentMagic => "SFCLOG\r\n"u8;

    /// <summary>Bytes a record with a payload of this length takes on disk: header, payload, zero padding to 8 bytes.</summary>
    public static int RecordSize(int payloadLength) => Align(RecordHeaderBytes + payloadLength);

    public static int Align(int bytes) => (bytes + Alignment - 1) & ~(Alignment - 1);

    public static string SegmentFileName(long firstLsn) => firstLsn.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    /// <summary>Parses "{firstLsn:D20}.log"; any other name is not a segment and is left alone.</summary>
    public static bool TryParseSegmentFileName(string fileName, out long firstLsn)
    {
        firstLsn = 0;
        return fileName.Length == 20 + SegmentExtension.Length
            && fileName.EndsWith(SegmentExtension, StringComparison.Ordinal)
            && fileName.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstLsn);
    }

    /// <summary>CRC32C (Castagnoli) of <paramref name="data"/> continuing from <paramref name="crc"/>; start with 0.</summary>
    public static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C uses the SSE4.2/ARM CRC instructions when present; 8 bytes per step keeps it fast.
        // Pre- and post-inversion make it the standard CRC-32C, so the files can be checked with common tools.
        var value = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            value = BitOperations.Crc32C(value, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            value = BitOperations.Crc32C(value, b);
        }

        return ~value;
    }

    public static void WriteSegmentHeader(Span<byte> destination, long firstLsn)
    {
        destination[..SegmentHeaderBytes].Clear();
        SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], firstLsn);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C(0, destination[..28]));
    }

    /// <summary>Returns null when the segment header is valid for <paramref name="expectedFirstLsn"/>, else what is wrong.</summary>
    public static string? CheckSegmentHeader(ReadOnlySpan<byte> segment, long expectedFirstLsn)
    {
        if (segment.Length < SegmentHeaderBytes)
        {
            return $"the file is {segment.Length} bytes long, shorter than a segment header";
        }

        if (!segment[..8].SequenceEqual(SegmentMagic))
        {
            return "the file does not start with the segment magic";
        }

        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(segment[28..]);
        var computedCrc = Crc32C(0, segment[..28]);
        if (storedCrc != computedCrc)
        {
            return $"the segment header checksum does not match (stored 0x{storedCrc:X8}, computed 0x{computedCrc:X8})";
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(segment[8..]);
        if (version != Version)
        {
            return $"unsupported segment format version {version}";
        }

        var firstLsn = BinaryPrimitives.ReadInt64LittleEndian(segment[16..]);
        return firstLsn == expectedFirstLsn ? null : $"the header says the segment starts at LSN {firstLsn}, but its name says {expectedFirstLsn}";
    }

    /// <summary>Writes a whole record (header, payload, zero padding) into <paramref name="destination"/>.</summary>
    public static void WriteRecord(Span<byte> destination, long lsn, uint groupIndex, ReadOnlySpan<byte> payload)
    {
        var size = RecordSize(payload.Length);
        var header = destination[..RecordHeaderBytes];
        header.Clear();
        header[0] = RecordKind;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], lsn);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], groupIndex);
        payload.CopyTo(destination[RecordHeaderBytes..]);
        destination[(RecordHeaderBytes + payload.Length)..size].Clear();
        var crc = Crc32C(Crc32C(0, header[..20]), payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], crc);
    }

    /// <summary>
    /// Checks the record at <paramref name="offset"/>. Returns null when it is whole and its checksum matches,
    /// else what is wrong. The LSN is not judged here: the caller knows which one it expects.
    /// </summary>
    public static string? CheckRecord(ReadOnlySpan<byte> segment, int offset, out long lsn, out int payloadLength, out uint groupIndex)
    {
        lsn = 0;
        payloadLength = 0;
        groupIndex = 0;
        var available = segment.Length - offset;
        if (available < RecordHeaderBytes)
        {
            return $"the record header is incomplete ({available} of {RecordHeaderBytes} bytes before the end of the file)";
        }

        var header = segment.Slice(offset, RecordHeaderBytes);
        if (header[0] != RecordKind)
        {
            return $"unknown record kind 0x{header[0]:X2}";
        }

        if (header[1..4].IndexOfAnyExcept((byte)0) >= 0)
        {
            return "reserved header bytes are not zero";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > MaxPayloadBytes || RecordSize((int)length) > available)
        {
            return $"the payload length {length} runs past the end of the file";
        }

        payloadLength = (int)length;
        var payload = segment.Slice(offset + RecordHeaderBytes, payloadLength);
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        var computedCrc = Crc32C(Crc32C(0, header[..20]), payload);
        if (storedCrc != computedCrc)
        {
            return $"the record checksum does not match (stored 0x{storedCrc:X8}, computed 0x{computedCrc:X8})";
        }

        // Padding is outside the checksum, so it is checked to be zero: no byte of a valid record is unverified.
        var padding = segment.Slice(offset + RecordHeaderBytes + payloadLength, RecordSize(payloadLength) - RecordHeaderBytes - payloadLength);
        if (padding.IndexOfAnyExcept((byte)0) >= 0)
        {
            return "the padding after the payload is not zero";
        }

        lsn = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        groupIndex = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        return null;
    }
}

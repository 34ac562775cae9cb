using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace StatefulFunctions.Runtime;

/// <summary>The rules of idempotency keys: what a valid key is, and the hash that tells two messages apart.</summary>
internal static class IdempotencyKeys
{
    /// <summary>The longest key a caller may give (keys derived for the messages of one ingress event may be longer).</summary>
    public const int MaxLength = 256;

    /// <summary>Throws <see cref="ArgumentException"/> for a key that is null, empty, too long or holds control characters.</summary>
    public static void Validate(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (idempotencyKey.Length > MaxLength)
        {
            throw new ArgumentException($"An idempotency key is at most {MaxLength} characters long, not {idempotencyKey.Length:N0}.", nameof(idempotencyKey));
        }

        if (idempotencyKey.AsSpan().ContainsAnyInRange('\0', '\x1f') || idempotencyKey.Contains('\x7f', StringComparison.Ordinal))
        {
            throw new ArgumentException("An idempotency key must not contain control characters.", nameof(idempotencyKey));
        }
    }

    /// <summary>The key of message number <paramref name="ordinal"/> (1-based) to one address among the messages made of one keyed ingress event.</summary>
    public static string Derive(string idempotencyKey, int ordinal) =>
        ordinal == 1 ? idempotencyKey : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{idempotencyKey}#{ordinal}");

    /// <summary>The first 128 bits of the SHA-256 of a message's stable type name, a zero byte and its MemoryPack bytes.</summary>
    public static UInt128 Hash(StoredForm stored)
    {
        var nameLength = Encoding.UTF8.GetByteCount(stored.Name);
        var length = nameLength + 1 + stored.Bytes.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(stored.Name, buffer);
            buffer[nameLength] = 0;
            stored.Bytes.CopyTo(buffer.AsSpan(nameLength + 1));
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), digest);
            return BinaryPrimitives.ReadUInt128LittleEndian(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

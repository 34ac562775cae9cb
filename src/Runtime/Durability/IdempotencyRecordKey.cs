using System.Security.Cryptography;
using System.Text;

namespace StatefulFunctions.Durability;

/// <summary>The address (as text) and key of a stored dedup record.</summary>
internal readonly record struct IdempotencyRecordKey(string TargetType, string TargetId, string Key)
{
    /// <summary>
    /// The record's document id in LiteDB: a hash of the address and key, so that it stays short whatever their length
    /// (LiteDB index keys are limited to about a kilobyte).
    /// </summary>
    public string DocumentId()
    {
        var text = string.Join('\0', TargetType, TargetId, Key);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexString(digest[..16]);
    }
}

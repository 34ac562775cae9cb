using StatefulFunctions.Runtime;

namespace StatefulFunctions.Storage.Tests;

/// <summary>The record checksum is the standard CRC-32C, so segments can be checked with common tools.</summary>
public sealed class CommitLogFormatTests
{
    [Fact]
    public void The_checksum_is_standard_crc32c()
    {
        Assert.Equal(0xE3069283u, CommitLogFormat.Crc32C(0, "123456789"u8));
        Assert.Equal(0u, CommitLogFormat.Crc32C(0, []));
        Assert.Equal(CommitLogFormat.Crc32C(0, "123456789"u8), CommitLogFormat.Crc32C(CommitLogFormat.Crc32C(0, "1234"u8), "56789"u8));
    }
}

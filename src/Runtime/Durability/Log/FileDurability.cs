using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StatefulFunctions.Runtime;

/// <summary>
/// The system calls that make writes durable. On Linux data is synced with fdatasync: segments are preallocated
/// with written zeros, so appending never changes metadata and fdatasync skips the inode write that fsync would add.
/// </summary>
/// <remarks>
/// These are <see cref="DllImportAttribute"/> rather than LibraryImport because LibraryImport's generated code
/// needs AllowUnsafeBlocks in the runtime project; all signatures are blittable except the path, which is marshalled
/// as UTF-8, so this is trimming- and AOT-safe either way.
/// </remarks>
internal static class FileDurability
{
    private const int ReadOnly = 0; // O_RDONLY, the same value on every Unix.

    /// <summary>Makes the data written to <paramref name="file"/> durable; throws <see cref="IOException"/> with errno on failure.</summary>
    public static void FlushData(SafeFileHandle file, string path)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FDataSync(file) != 0)
            {
                throw Failure("fdatasync", path);
            }
        }
        else
        {
            // fsync / FlushFileBuffers: the platform's durable flush when fdatasync is not available.
            RandomAccess.FlushToDisk(file);
        }
    }

    /// <summary>Makes the data and the size of a new file durable (used when a segment is created).</summary>
    public static void FlushAll(SafeFileHandle file) => RandomAccess.FlushToDisk(file);

    /// <summary>
    /// Makes the entries of <paramref name="directory"/> durable, so a created, renamed or deleted segment stays so
    /// after a crash. Without this a segment whose records were synced could vanish with its directory entry.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals directory changes itself, and a directory cannot be opened as a file to sync it.
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (FSync(descriptor) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed on '{path}': errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).", errno);
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FDataSync(SafeFileHandle file);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FSync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}

namespace StatefulFunctions.Storage;

/// <summary>The checks of the store's path and file before LiteDB opens it, and the lock that keeps a second runtime out.</summary>
internal sealed partial class LiteDbStateStore
{
    /// <summary>
    /// Refuses a path that cannot be a database file, before anything is created: a folder, or a path under a file
    /// (what the file system says of those, "access denied" or "the file already exists", does not name the cause).
    /// </summary>
    private static void CheckIsFilePath(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"The state store '{path}' is a folder: UseLiteDb takes the path of a database file, e.g. '{System.IO.Path.Combine(path, "app.db")}'.");
        }

        for (var folder = System.IO.Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = System.IO.Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new IOException($"The state store '{path}' cannot be created: '{folder}' is a file, not a folder. Point UseLiteDb at a path whose folders are folders, or move that file away.");
            }
        }
    }

    /// <summary>
    /// Takes the store's lock: <c>{path}.lock</c>, an empty file held open alone (an advisory lock the system drops
    /// when the process ends, however it ends). LiteDB itself lets a second engine open the file, in this process or
    /// another, and two engines writing one file would damage it.
    /// </summary>
    private static FileStream TakeFileLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (File.Exists(lockPath))
        {
            throw new IOException(
                $"The state store '{path}' is open in another runtime (in this process or another one; '{lockPath}' is held): one runtime at a time can use a database file. Stop the other one, or point UseLiteDb at another file.",
                exception);
        }
    }

    /// <summary>
    /// LiteDB "opens" a file that is not a database by overwriting it; refuse instead, unless the file is new or empty.
    /// </summary>
    private static void CheckIsLiteDbFile(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (file.Length == 0)
        {
            return;
        }

        var header = new byte[HeaderMarkOffset + HeaderMark.Length];
        if (file.Length < PageSize || file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || !header.AsSpan(HeaderMarkOffset).SequenceEqual(HeaderMark))
        {
            throw new InvalidDataException(
                $"The state store '{path}' is not a LiteDB database file ({file.Length} bytes, no LiteDB header). The file was left as it is: point UseLiteDb at another path, or move the file away.");
        }
    }
}

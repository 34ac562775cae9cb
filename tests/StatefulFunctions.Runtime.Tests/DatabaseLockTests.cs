using StatefulFunctions.Storage;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// One runtime at a time on a database file, across processes: a second one is refused saying so, and a holder killed
/// with SIGKILL leaves nothing that keeps the next start out.
/// </summary>
public sealed class DatabaseLockTests : IDisposable
{
    private const string Host = "StatefulFunctions.CrashHost.dll";
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("sf-lock-").FullName;

    private string DbPath => Path.Combine(_folder, "app.db");

    [Fact]
    public async Task A_database_open_in_another_process_is_refused_naming_it_and_opens_once_that_process_is_killed()
    {
        using var child = ChildProcess.StartDotnet(Host, "--mode", "stop", "--db", DbPath, "--fail-storage", "false");
        Assert.NotNull(await child.WaitForLineAsync("ready", HangGuard, exact: true));

        var error = Assert.Throws<IOException>(() => new LiteDbStateStore(DbPath));
        Assert.Equal($"The state store '{DbPath}' is open in another runtime (in this process or another one; '{DbPath}.lock' is held): one runtime at a time can use a database file. Stop the other one, or point UseLiteDb at another file.", error.Message);

        await child.KillAsync();
        using var store = new LiteDbStateStore(DbPath);
        Assert.True(File.Exists(DbPath + ".lock"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

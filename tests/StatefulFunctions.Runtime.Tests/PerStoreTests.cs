namespace StatefulFunctions.Runtime.Tests;

/// <summary>
/// Tests that run once per store: a subclass per store gives <see cref="CreateStore"/>; stores and database files made
/// for a test are removed after it.
/// </summary>
public abstract class PerStoreTests(string folderPrefix) : IDisposable
{
    private readonly List<IDisposable> _stores = new();
    private readonly string _folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    /// <summary>A new, empty store for one runtime.</summary>
    protected abstract Storage.IStateStore CreateStore();

    protected string NewDatabasePath() => Path.Combine(_folder, $"{Guid.NewGuid():N}.db");

    protected T Track<T>(T store)
        where T : IDisposable
    {
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

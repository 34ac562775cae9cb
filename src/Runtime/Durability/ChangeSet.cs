namespace StatefulFunctions.Runtime;

/// <summary>
/// Items added and removed since the last checkpoint, by id. An item added and removed in the same interval never
/// reaches LiteDB at all, which keeps checkpoints of short-lived messages cheap.
/// </summary>
internal sealed class ChangeSet<T>
{
    private Dictionary<long, T> _added = new();
    private HashSet<long> _removed = new();

    public void Add(long id, T item) => _added[id] = item;

    public void Remove(long id)
    {
        if (!_added.Remove(id))
        {
            _removed.Add(id);
        }
    }

    /// <summary>The items of <paramref name="before"/> (as of the last checkpoint) with these changes made to them.</summary>
    public IEnumerable<T> Over(IEnumerable<T> before, Func<T, long> idOf) =>
        before.Where(item => !_removed.Contains(idOf(item)) && !_added.ContainsKey(idOf(item))).Concat(_added.Values);

    /// <summary>Hands over what changed and starts a new interval.</summary>
    public (List<T> Added, List<long> Removed) Take()
    {
        var taken = (_added.Values.ToList(), _removed.ToList());
        _added = new();
        _removed = new();
        return taken;
    }
}

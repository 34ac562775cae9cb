namespace StatefulFunctions;

/// <summary>
/// Marks a field or property of a stateful function as part of its persisted state. The value is loaded before
/// a handler runs and saved after it returns; every other member of the object is lost between messages.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class PersistedAttribute : Attribute
{
    /// <summary>
    /// The state name. Defaults to the member name without a leading underscore, in snake_case
    /// (<c>_lastSeen</c> becomes <c>last_seen</c>). Pin it to keep old state loadable across a rename.
    /// Must match <c>[a-z_][a-z0-9_]*</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>A <see cref="TimeSpan"/> string (e.g. <c>"00:30:00"</c>): the value expires this long after it was last written.</summary>
    public string? ExpireAfterWrite { get; set; }

    /// <summary>A <see cref="TimeSpan"/> string (e.g. <c>"1.00:00:00"</c>): the value expires this long after the function was last called.</summary>
    public string? ExpireAfterCall { get; set; }
}

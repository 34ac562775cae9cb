using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace StatefulFunctions.Flink;

/// <summary>Options of the endpoint <c>MapStatefulFunctionsRemote</c> serves to an Apache Flink StateFun cluster.</summary>
public sealed class RemoteFunctionsOptions
{
    private readonly HashSet<Type> _json = new();

    /// <summary>
    /// The largest request body accepted, in bytes; larger ones get 413. Default 32 MiB, StateFun's own limit
    /// (<c>payload_max_bytes</c>).
    /// </summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How the types named with <see cref="UseJson{T}"/> are written: web defaults (camelCase) unless changed.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sends and reads values of <typeparamref name="T"/> (messages, egress records and persisted members) as UTF-8 JSON
    /// instead of MemoryPack, under the same typename, so functions written in other languages can read them.
    /// </summary>
    public RemoteFunctionsOptions UseJson<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>()
    {
        _json.Add(typeof(T));
        return this;
    }

    internal IReadOnlySet<Type> JsonTypes => _json;

    internal void Validate()
    {
        if (MaxRequestBytes <= 0)
        {
            throw new InvalidOperationException($"RemoteFunctionsOptions.MaxRequestBytes must be positive; it is {MaxRequestBytes}.");
        }

        ArgumentNullException.ThrowIfNull(JsonOptions, nameof(JsonOptions));
    }
}

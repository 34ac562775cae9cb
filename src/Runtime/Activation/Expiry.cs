using System.Buffers.Binary;
using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime;

/// <summary>
/// Time to live of persisted members, enforced lazily: whenever an instance is about to handle a message (or its
/// state is inspected), members past their time read as a new instance's value. Nothing scans the store.
/// The times it needs travel with the state under names no state name can take (state names are <c>[a-z_][a-z0-9_]*</c>):
/// <c>$written:&lt;name&gt;</c> per expire-after-write member and <c>$called</c> for the last call.
/// </summary>
internal sealed class Expiry
{
    private const string CalledKey = "$called";
    private const string WrittenPrefix = "$written:";
    private readonly (string Name, ExpirationMode Mode, long TtlMs, string StampKey)[] _members;
    private readonly IReadOnlyDictionary<string, byte[]> _initialState;
    private readonly bool _hasAfterCall;

    public Expiry(IReadOnlyList<PersistedValueSpec> members, IReadOnlyDictionary<string, byte[]> initialState)
    {
        _members = members
            .Where(m => m.Expiration != ExpirationMode.None && m.ExpireAfter > TimeSpan.Zero)
            .Select(m => (m.Name, m.Expiration, (long)m.ExpireAfter.TotalMilliseconds, m.Expiration == ExpirationMode.AfterWrite ? WrittenPrefix + m.Name : CalledKey))
            .ToArray();
        _hasAfterCall = _members.Any(m => m.Mode == ExpirationMode.AfterCall);
        _initialState = initialState;
    }

    public bool Any => _members.Length > 0;

    /// <summary>Resets the members whose time has passed; returns true when any was reset.</summary>
    public bool Expire(Dictionary<string, byte[]> state, DateTimeOffset now)
    {
        var expired = false;
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var (name, mode, ttlMs, stampKey) in _members)
        {
            if (state.TryGetValue(stampKey, out var stamp) && nowMs - BinaryPrimitives.ReadInt64LittleEndian(stamp) >= ttlMs
                && state.TryGetValue(name, out var value) && !value.AsSpan().SequenceEqual(_initialState[name]))
            {
                state[name] = _initialState[name];
                if (mode == ExpirationMode.AfterWrite)
                {
                    state.Remove(stampKey);
                }

                expired = true;
            }
        }

        return expired;
    }

    /// <summary>After a successful call: stamps the expire-after-write members it changed, and the time of the call.</summary>
    public void Stamp(ref Dictionary<string, byte[]>? changed, DateTimeOffset now)
    {
        var stamp = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(stamp, now.ToUnixTimeMilliseconds());
        foreach (var (name, mode, _, stampKey) in _members)
        {
            if (mode == ExpirationMode.AfterWrite && changed is not null && changed.ContainsKey(name))
            {
                changed[stampKey] = stamp;
            }
        }

        if (_hasAfterCall)
        {
            (changed ??= new Dictionary<string, byte[]>(StringComparer.Ordinal))[CalledKey] = stamp;
        }
    }
}

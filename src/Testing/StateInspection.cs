using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace StatefulFunctions.Testing;

/// <summary>Reads one persisted member out of per-member state bytes.</summary>
internal static class StateInspection
{
    public static T? Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(IReadOnlyDictionary<string, byte[]>? state, string stateName, string owner)
    {
        if (state is null || !state.TryGetValue(stateName, out var bytes))
        {
            return default;
        }

        try
        {
            return MemoryPackSerializer.Deserialize<T>(bytes);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"State '{stateName}' of {owner} is not a {typeof(T).FullName}: {exception.Message}. State names: {string.Join(", ", state.Keys)}.", exception);
        }
    }
}

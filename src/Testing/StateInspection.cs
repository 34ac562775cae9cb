using System.Diagnostics.CodeAnalysis;
using StatefulFunctions.Generation;
using StatefulFunctions.Runtime;

namespace StatefulFunctions.Testing;

/// <summary>Reads one persisted member out of per-member state bytes, checking the name and type against the function's declaration.</summary>
internal static class StateInspection
{
    public static T? Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(
        IReadOnlyDictionary<string, byte[]>? state, string stateName, string owner, FunctionType type)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var spec = Find(stateName, owner, type);
        if (spec.ValueType != typeof(T))
        {
            var stored = state is null ? null : StateFingerprint.Stored(state, stateName);
            throw new InvalidOperationException(
                $"State '{stateName}' of {owner} is declared as {spec.ValueType} ({type.Descriptor.FunctionType.Name}.{spec.MemberName}" +
                $"{(stored is null ? string.Empty : $", stored as {stored}")}), not {typeof(T)}: ask for it as GetState<{spec.ValueType.Name}> " +
                $"or through {type.Descriptor.FunctionType.Name}.PersistedState.");
        }

        return Read(state, new PersistedMember<T>(stateName, spec.Fingerprint ?? string.Empty), owner, type);
    }

    public static T? Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(
        IReadOnlyDictionary<string, byte[]>? state, PersistedMember<T> member, string owner, FunctionType type)
    {
        ArgumentNullException.ThrowIfNull(member);
        var spec = Find(member.Name, owner, type);
        if (spec.ValueType != typeof(T))
        {
            throw new InvalidOperationException(
                $"State '{member.Name}' of {owner} is declared as {spec.ValueType}, not {typeof(T)}: is the descriptor another function's?");
        }

        return state is null ? default : new StateReader(state, owner).Read(member);
    }

    private static PersistedValueSpec Find(string stateName, string owner, FunctionType type) =>
        type.Descriptor.PersistedValues.FirstOrDefault(spec => spec.Name == stateName)
        ?? throw new InvalidOperationException(
            $"{owner} ({type.Descriptor.FunctionType.FullName}) has no persisted state '{stateName}'. Its state names: " +
            $"{(type.Descriptor.PersistedValues.Count == 0 ? "(none)" : string.Join(", ", type.Descriptor.PersistedValues.Select(spec => spec.Name)))}.");
}

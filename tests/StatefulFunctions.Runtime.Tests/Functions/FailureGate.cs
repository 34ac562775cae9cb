using System.Collections.Concurrent;

namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Counts handler attempts per address outside any function state, so a test can fail only the first tries.</summary>
public static class FailureGate
{
    private static readonly ConcurrentDictionary<string, int> Attempts = new();

    public static int Next(string id) => Attempts.AddOrUpdate(id, 1, static (_, n) => n + 1);
}

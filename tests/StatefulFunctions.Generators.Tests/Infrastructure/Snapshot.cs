using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace StatefulFunctions.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files with Verify's naming: <c>Snapshots/{TestClass}.{TestMethod}#{HintName}.verified.cs</c> next to
/// the test source. A mismatch writes <c>*.received.cs</c> and fails; <c>ACCEPT_SNAPSHOTS=1</c> accepts the output.
/// </summary>
internal static class Snapshot
{
    private const string AcceptVariable = "ACCEPT_SNAPSHOTS";
    private const string VersionPlaceholder = "{GeneratorVersion}";

    /// <summary>Compares every generated source of <paramref name="result"/> with its verified file.</summary>
    public static void Verify(
        GeneratorRunResult result,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string testMethod = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var prefix = $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}#";
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        Directory.CreateDirectory(directory);

        var failures = new List<string>();
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            var baseName = prefix + Path.GetFileNameWithoutExtension(source.HintName);
            var verifiedPath = Path.Combine(directory, baseName + ".verified.cs");
            var receivedPath = Path.Combine(directory, baseName + ".received.cs");
            expectedFiles.Add(verifiedPath);

            var received = Scrub(source.SourceText.ToString());
            var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
            if (received == verified)
            {
                File.Delete(receivedPath);
                continue;
            }

            if (accept)
            {
                File.WriteAllText(verifiedPath, received);
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, received);
            failures.Add(verified is null
                ? $"No verified file {Path.GetFileName(verifiedPath)}; received:\n{received}"
                : $"{Path.GetFileName(verifiedPath)} differs from the output:\n{Diff(verified, received)}");
        }

        // A verified file the test no longer produces is stale.
        foreach (var stale in Directory.GetFiles(directory, prefix + "*.verified.cs").Where(f => !expectedFiles.Contains(f)))
        {
            if (accept)
            {
                File.Delete(stale);
            }
            else
            {
                failures.Add($"{Path.GetFileName(stale)} is no longer generated.");
            }
        }

        Assert.True(
            failures.Count == 0,
            string.Join("\n\n", failures) + $"\n\nReview the *.received.cs files; run with {AcceptVariable}=1 to accept them.");
    }

    /// <summary>The generator version changes with every release; snapshots show a placeholder instead.</summary>
    private static string Scrub(string text) =>
        Normalize(text.Replace(
            $"\"StatefulFunctions.Generators\", \"{StatefulFunctionGenerator.Emitter.Version}\"",
            $"\"StatefulFunctions.Generators\", \"{VersionPlaceholder}\"",
            StringComparison.Ordinal));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The first differing line with a little context on both sides.</summary>
    private static string Diff(string verified, string received)
    {
        var expected = verified.Split('\n');
        var actual = received.Split('\n');
        var first = 0;
        while (first < expected.Length && first < actual.Length && expected[first] == actual[first])
        {
            first++;
        }

        var builder = new StringBuilder();
        builder.AppendLine($"first difference at line {first + 1}:");
        for (var i = Math.Max(0, first - 2); i < Math.Min(Math.Max(expected.Length, actual.Length), first + 4); i++)
        {
            var left = i < expected.Length ? expected[i] : "<end of file>";
            var right = i < actual.Length ? actual[i] : "<end of file>";
            builder.AppendLine(left == right ? $"  {left}" : $"- {left}\n+ {right}");
        }

        return builder.ToString();
    }
}

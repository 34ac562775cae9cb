using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StatefulFunctions.Samples.Tests;

/// <summary>The ride-sharing sample runs to completion as a user runs it, and prints a summary that adds up.</summary>
public sealed partial class RideSharingSampleTests
{
    [Fact]
    public async Task The_sample_simulates_the_city_prints_its_summary_and_exits_zero()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "RideSharing.dll");
        Assert.True(File.Exists(sample), $"The sample was not built beside the tests: {sample}");

        var start = new ProcessStartInfo("dotnet", [sample])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var summary = await output;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{summary}\n{await errors}");
        var requested = Count(summary, "rides requested");
        var completed = Count(summary, "rides completed");
        var cancelled = Count(summary, "rides cancelled");
        Assert.Equal(2_000, requested);
        Assert.Equal(requested, completed + cancelled);
        Assert.True(completed > 0, summary);
        Assert.Equal(completed, Count(summary, "rides matched"));
        Assert.True(Count(summary, "messages handled") > requested * 5, summary);
        Assert.Contains("messages/s", summary, StringComparison.Ordinal);
    }

    private static int Count(string summary, string label)
    {
        var match = Regex.Match(summary, Regex.Escape(label) + @"\s+([\d,]+)");
        Assert.True(match.Success, $"'{label}' is missing from the summary:\n{summary}");
        return int.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }
}

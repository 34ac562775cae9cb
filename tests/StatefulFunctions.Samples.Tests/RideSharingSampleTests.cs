namespace StatefulFunctions.Samples.Tests;

/// <summary>The ride-sharing sample runs to completion as a user runs it, and prints a summary that adds up.</summary>
public sealed class RideSharingSampleTests
{
    [Fact]
    public async Task The_sample_simulates_the_city_prints_its_summary_and_exits_zero()
    {
        var run = await SampleProcess.RunAsync("RideSharing");

        run.AssertExitedZero();
        var requested = run.Count("rides requested");
        var completed = run.Count("rides completed");
        var cancelled = run.Count("rides cancelled");
        Assert.Equal(2_000, requested);
        Assert.Equal(requested, completed + cancelled);
        Assert.True(completed > 0, run.Output);
        Assert.Equal(completed, run.Count("rides matched"));
        Assert.True(run.Count("messages handled") > requested * 5, run.Output);
        Assert.Contains("messages/s", run.Output, StringComparison.Ordinal);
    }
}

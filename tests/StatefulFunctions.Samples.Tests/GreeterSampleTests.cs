namespace StatefulFunctions.Samples.Tests;

/// <summary>The greeter counts greetings per name, and the counts survive a restart (its state is in LiteDB).</summary>
public sealed class GreeterSampleTests : IDisposable
{
    // A folder of its own, so that its data/ starts empty and no earlier run's counts leak in.
    private readonly DirectoryInfo _workingDirectory = Directory.CreateTempSubdirectory("greeter-sample-");

    [Fact]
    public async Task The_sample_greets_by_name_and_carries_the_counts_over_to_the_next_run()
    {
        var first = await SampleProcess.RunAsync("Greeter", _workingDirectory.FullName);

        first.AssertExitedZero();
        Assert.Equal(
            [
                "Hello Ada, greeting number 1",
                "Hello Grace, greeting number 1",
                "Hello Ada, greeting number 2",
                "3 greeting(s); the counts are kept in data/greeter.db",
            ],
            NonEmpty(first));
        Assert.True(File.Exists(Path.Combine(_workingDirectory.FullName, "data", "greeter.db")), "The state is not in data/greeter.db.");

        var second = await SampleProcess.RunAsync("Greeter", _workingDirectory.FullName, "Grace", "Linus", "Ada");

        second.AssertExitedZero();
        Assert.Equal(
            [
                "Hello Grace, greeting number 2",
                "Hello Linus, greeting number 1",
                "Hello Ada, greeting number 3",
                "3 greeting(s); the counts are kept in data/greeter.db",
            ],
            NonEmpty(second));
    }

    public void Dispose() => _workingDirectory.Delete(recursive: true);

    private static string[] NonEmpty(SampleRun run) => run.Lines.Where(line => line.Length > 0).ToArray();
}

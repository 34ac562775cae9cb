using MemoryPack;

namespace StatefulFunctions.Flink.Tests;

/// <summary>
/// StateFun's smoke test, ported: random command trees sent to the command interpreter through the endpoint, with a
/// model of the runtime that batches, loses answers and restarts; at the end every instance reports its state, which
/// must equal the number of increments the command model sent to it.
/// </summary>
public sealed class SmokeTests(RemoteServer server) : IClassFixture<RemoteServer>
{
    private const int Instances = 12;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_counter_matches_the_command_model_through_batches_lost_answers_and_restarts(int seed)
    {
        var random = new Random(seed);
        var runtime = new StateFunModel(server, random);
        var expected = new long[Instances];
        var expectedEgress = 0;

        for (var i = 0; i < 150; i++)
        {
            var target = random.Next(Instances);
            var commands = RandomCommands(random, depth: 0);
            Count(target, commands, expected, ref expectedEgress);
            runtime.Ingest(Wire.Address("smoke/interpreter", CommandInterpreter.Id(target)), Wire.Message(commands));

            // Interleave arrivals with work, so batches form from what happens to be waiting.
            for (var steps = random.Next(3); steps > 0; steps--)
            {
                await runtime.StepAsync();
            }
        }

        await runtime.RunToCompletionAsync();
        for (var target = 0; target < Instances; target++)
        {
            runtime.Ingest(Wire.Address("smoke/interpreter", CommandInterpreter.Id(target)), Wire.Message(new Commands([new Command(CommandKind.Verify)])));
        }

        await runtime.RunToCompletionAsync();

        var discarded = runtime.Egress.Where(e => e.EgressType == "discard").ToList();
        Assert.Equal(expectedEgress, discarded.Count);
        var results = runtime.Egress.Where(e => e.EgressType == "verification")
            .Select(e => MemoryPackSerializer.Deserialize<VerificationResult>(e.Argument.Value.Span)!)
            .ToDictionary(r => r.Id, r => r.Actual);
        Assert.Equal(Instances, results.Count);
        for (var target = 0; target < Instances; target++)
        {
            Assert.True(expected[target] == results[CommandInterpreter.Id(target)], $"instance {target}: expected {expected[target]}, actual {results[CommandInterpreter.Id(target)]}");
        }

        // The run exercised what it claims to.
        Assert.True(runtime.Retries > 0 && runtime.IncompleteContexts > 1, $"retries {runtime.Retries}, incomplete contexts {runtime.IncompleteContexts}");
        Assert.True(expected.Sum() > 0);
    }

    private static Commands RandomCommands(Random random, int depth)
    {
        var items = new List<Command>();
        for (var count = random.Next(1, 5); count > 0; count--)
        {
            var roll = random.Next(depth < 3 ? 10 : 6);
            items.Add(roll switch
            {
                < 3 => new Command(CommandKind.Increment),
                3 => new Command(CommandKind.SendEgress),
                4 => new Command(CommandKind.AsyncOperation),
                5 => new Command(CommandKind.Increment),
                6 or 7 => new Command(CommandKind.Send, random.Next(Instances), RandomCommands(random, depth + 1)),
                _ => new Command(CommandKind.SendAfter, random.Next(Instances), RandomCommands(random, depth + 1)),
            });
        }

        return new Commands(items);
    }

    /// <summary>The command model: what each instance's state must become, and how many egress records must come out.</summary>
    private static void Count(int target, Commands commands, long[] expected, ref int egress)
    {
        foreach (var command in commands.Items)
        {
            switch (command.Kind)
            {
                case CommandKind.Increment:
                    expected[target]++;
                    break;
                case CommandKind.SendEgress:
                    egress++;
                    break;
                case CommandKind.Send:
                case CommandKind.SendAfter:
                    Count(command.Target, command.Nested!, expected, ref egress);
                    break;
            }
        }
    }
}

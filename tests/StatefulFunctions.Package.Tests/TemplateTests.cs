namespace StatefulFunctions.Package.Tests;

/// <summary>
/// The first ten minutes of a new user: install the template package, create an application, build, test and run
/// it, add a function. Everything comes from the local feed of packed packages and the machine's package sources.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class TemplateTests(PackedFeed feed)
{
    [Fact]
    public async Task The_statefun_template_creates_an_application_that_builds_tests_runs_and_takes_a_new_function()
    {
        var hive = await InstallTemplatesAsync();
        var root = feed.NewProjectFolder("new-user");

        var created = await DotNet.RunAsync(["new", "statefun", "-n", "Visits", "--debug:custom-hive", hive], root);
        Assert.True(created.ExitCode == 0, created.Output);
        var solution = Path.Combine(root, "Visits");
        Assert.True(File.Exists(Path.Combine(solution, "Visits", "Visits.csproj")), created.Output);
        Assert.True(File.Exists(Path.Combine(solution, "Visits.Tests", "Visits.Tests.csproj")), created.Output);
        Assert.Empty(Directory.GetFiles(solution, "*.csproj-in", SearchOption.AllDirectories));

        var build = await DotNet.RunAsync(["build"], solution);
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);

        var test = await DotNet.RunAsync(["test", "--no-build"], solution);
        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("Passed!  - Failed:     0, Passed:     2", test.Output, StringComparison.Ordinal);

        // Two runs: the visitor's persisted count carries over in the LiteDB file, and each run exits by itself.
        var first = await DotNet.RunAsync(["run", "--project", "Visits", "--", "Ada", "Grace", "Ada"], solution);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Hello Ada, visit number 1", first.Output, StringComparison.Ordinal);
        Assert.Contains("Hello Grace, visit number 1", first.Output, StringComparison.Ordinal);
        Assert.Contains("Hello Ada, visit number 2", first.Output, StringComparison.Ordinal);
        var second = await DotNet.RunAsync(["run", "--project", "Visits", "--", "ada"], solution);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Hello ada, visit number 3", second.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(solution, "data", "Visits.db")), second.Output);

        // The item template, run in the project folder, takes the project's namespace and builds without warnings.
        var project = Path.Combine(solution, "Visits");
        var added = await DotNet.RunAsync(["new", "statefun-function", "-n", "ShoppingCart", "--function-namespace", "Shop", "--debug:custom-hive", hive], project);
        Assert.True(added.ExitCode == 0, added.Output);
        var function = File.ReadAllText(Path.Combine(project, "ShoppingCart.cs"));
        Assert.Contains("namespace Visits;", function, StringComparison.Ordinal);
        Assert.Contains("[StatefulFunction(\"shop/shopping_cart\")]", function, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class ShoppingCart : IHandle<ShoppingCartRequest>", function, StringComparison.Ordinal);
        var rebuilt = await DotNet.RunAsync(["build"], solution);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Output);
        Assert.Contains("0 Warning(s)", rebuilt.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_statefun_template_options_leave_out_the_tests_and_keep_state_in_memory()
    {
        var hive = await InstallTemplatesAsync();
        var root = feed.NewProjectFolder("options");

        var created = await DotNet.RunAsync(["new", "statefun", "-n", "my-app", "--no-tests", "--storage", "memory", "--function-namespace", "My Shop", "--debug:custom-hive", hive], root);
        Assert.True(created.ExitCode == 0, created.Output);
        var solution = Path.Combine(root, "my-app");
        Assert.False(Directory.Exists(Path.Combine(solution, "my-app.Tests")), created.Output);
        Assert.DoesNotContain("Tests", File.ReadAllText(Path.Combine(solution, "my-app.slnx")), StringComparison.Ordinal);
        // A function type namespace is made lower case, and what it may not hold a '-'.
        Assert.Contains("[StatefulFunction(\"my-shop/visitor\")]", File.ReadAllText(Path.Combine(solution, "my-app", "Visitor.cs")), StringComparison.Ordinal);

        // In memory: a second run starts again from zero and writes no data folder.
        for (var run = 0; run < 2; run++)
        {
            var result = await DotNet.RunAsync(["run", "--project", "my-app", "--", "Ada"], solution);
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("Hello Ada, visit number 1", result.Output, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(solution, "data")));
    }

    /// <summary>Installs the packed template package into a template store of the test's own (the user's is left alone).</summary>
    private async Task<string> InstallTemplatesAsync()
    {
        var hive = Path.Combine(feed.Folder, "template-hive-" + Guid.NewGuid().ToString("N"));
        var package = Path.Combine(feed.Feed, $"StatefulFunctions.Templates.{feed.Version}.nupkg");
        var install = await DotNet.RunAsync(["new", "install", package, "--debug:custom-hive", hive], feed.Folder);
        Assert.True(install.ExitCode == 0, install.Output);
        Assert.Contains("statefun-function", install.Output, StringComparison.Ordinal);
        return hive;
    }
}

namespace StatefulFunctions.Samples.Tests;

/// <summary>How a sample process ended and what it printed.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Errors">Its standard error.</param>
public sealed record SampleRun(int ExitCode, string Output, string Errors)
{
    /// <summary>The output's lines, trimmed, with every run of spaces made one, so that tests do not depend on column widths.</summary>
    public IReadOnlyList<string> Lines =>
        Output.Split('\n').Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToList();

    /// <summary>Fails unless the process exited 0, showing what it printed.</summary>
    public void AssertExitedZero() => Assert.True(ExitCode == 0, $"exit code {ExitCode}\n{Output}\n{Errors}");

    /// <summary>The value printed after <paramref name="label"/> in the summary, e.g. <c>133.50</c> for <c>revenue   133.50</c>.</summary>
    public string Value(string label)
    {
        var line = Lines.FirstOrDefault(l => l.StartsWith(label + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"'{label}' is missing from the output:\n{Output}");
        return line[(label.Length + 1)..].Split(' ')[0];
    }

    /// <summary>The count printed after <paramref name="label"/>, e.g. <c>2000</c> for <c>rides requested   2,000</c>.</summary>
    public int Count(string label) =>
        int.Parse(Value(label).Replace(",", "", StringComparison.Ordinal), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Errors}";
}

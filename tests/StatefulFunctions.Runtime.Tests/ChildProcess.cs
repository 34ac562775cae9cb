using System.Diagnostics;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>A child process whose standard output lines the test reads as they come.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
            }

            _lineArrived.Release();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add("stderr: " + e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet &lt;assembly&gt; args</c> from the test's output folder.</summary>
    public static ChildProcess StartDotnet(string assembly, params string[] arguments) => Start(assembly, arguments, input: false);

    /// <summary>Starts <c>dotnet &lt;assembly&gt; args</c> with its standard input open for <see cref="WriteLine"/>.</summary>
    public static ChildProcess StartDotnetWithInput(string assembly, params string[] arguments) => Start(assembly, arguments, input: true);

    /// <summary>Writes a line to the standard input of a process started with <see cref="StartDotnetWithInput"/>; false once it is gone.</summary>
    public bool WriteLine(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (IOException)
        {
            return false; // killed: the pipe is closed
        }
    }

    private static ChildProcess Start(string assembly, string[] arguments, bool input)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        return new ChildProcess(Process.Start(start)!);
    }

    /// <summary>Waits (bounded) for a line starting with (or, when <paramref name="exact"/>, equal to) <paramref name="prefix"/>; null if the process ended first.</summary>
    public async Task<string?> WaitForLineAsync(string prefix, TimeSpan timeout, bool exact = false)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var seen = 0;
        while (true)
        {
            var lines = Lines;
            for (; seen < lines.Count; seen++)
            {
                if (exact ? lines[seen] == prefix : lines[seen].StartsWith(prefix, StringComparison.Ordinal))
                {
                    return lines[seen];
                }
            }

            if (_process.HasExited && Lines.Count == seen)
            {
                return null;
            }

            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(100), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No line starting with '{prefix}' within {timeout}. Output:\n{string.Join('\n', Lines)}");
            }
        }
    }

    /// <summary>Kills the process with SIGKILL (on Linux, Process.Kill sends SIGKILL) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> does to ask a process to stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace MutualAuth.Testing;

/// <summary><c>mutualauth serve</c> running as a real process on a free port; its output is collected.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The process id (the <c>dotnet</c> host runs serve in its own process).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Sends SIGHUP (reload certificates, trust anchors and CRLs).</summary>
    public Task<ProcessResult> Hangup() => Tool.Run("kill", ["-HUP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    public string Output => string.Join('\n', _lines);

    /// <summary>Lines logged for HTTP requests (event 9001; serve runs with <c>--log-level debug</c> for them).</summary>
    public int RequestCount => _lines.Count(l => l.Contains("MutualAuth.Gateway[9001]", StringComparison.Ordinal));

    /// <summary>Waits until <see cref="RequestCount"/> reaches <paramref name="count"/> (output is asynchronous).</summary>
    public async Task<bool> WaitForRequestCount(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (RequestCount < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return RequestCount >= count;
    }

    /// <summary>Runs the curl command that serve printed in its banner, with <c>-sS</c> and a 20 s limit.</summary>
    public async Task<ProcessResult> RunPrintedCurl()
    {
        if (!await WaitForOutput("  curl "))
        {
            throw new InvalidOperationException("serve printed no curl command:\n" + Output);
        }

        var curlLine = Output.Split('\n').Single(l => l.StartsWith("  curl ", StringComparison.Ordinal)).Trim();
        return await Tool.Run("sh", ["-c", curlLine + " -sS --max-time 20"]);
    }

    public string Url(string path = "/whoami") => $"https://localhost:{Port}{path}";

    /// <summary>Starts serve with <paramref name="args"/>, at <c>--log-level debug</c> unless the arguments choose a level.</summary>
    public static Task<ServeProcess> Start(string dataDirectory, params string[] args) => StartIn(null, null, dataDirectory, args);

    /// <summary>As <see cref="Start"/>, in <paramref name="workingDirectory"/> and with <paramref name="environment"/> added.</summary>
    public static Task<ServeProcess> StartIn(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, string dataDirectory, params string[] args) =>
        StartCommand(["dotnet", Tool.CliAssembly], workingDirectory, environment, dataDirectory, args);

    /// <summary>As <see cref="Start"/>, with <paramref name="command"/> (the program and its first arguments) instead of <c>dotnet mutualauth.dll</c>.</summary>
    public static async Task<ServeProcess> StartCommand(IReadOnlyList<string> command, string? workingDirectory, IReadOnlyDictionary<string, string>? environment,
        string dataDirectory, params string[] args)
    {
        var port = Tool.FreePort();
        var process = new Process
        {
            StartInfo = Tool.StartInfo(command[0], [.. command.Skip(1), "serve", "--data-dir", dataDirectory, "--listen", $"127.0.0.1:{port}", .. (args.Contains("--log-level") ? args : ["--log-level", "debug", .. args])], workingDirectory),
            EnableRaisingEvents = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[name] = value;
        }

        return await Launch(process, port);
    }

    /// <summary>
    /// Stops serve and starts it again with the same command line, on the same port: with SIGTERM (a normal stop, which
    /// writes what is queued), or with <paramref name="crash"/> SIGKILL (nothing more is written).
    /// </summary>
    public async Task<ServeProcess> Restart(bool crash = false)
    {
        if (crash)
        {
            _process.Kill(entireProcessTree: true);
        }
        else
        {
            await Tool.Run("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return await Launch(new Process { StartInfo = _process.StartInfo, EnableRaisingEvents = true }, Port);
    }

    private static async Task<ServeProcess> Launch(Process process, int port)
    {
        var serve = new ServeProcess(process, port);
        process.OutputDataReceived += (_, e) => serve.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => serve.OnLine(e.Data);
        process.Exited += (_, _) => serve._ready.TrySetException(new InvalidOperationException("mutualauth serve exited early:\n" + serve.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await serve._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return serve;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was printed (output is asynchronous).</summary>
    public async Task<bool> WaitForOutput(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (line.StartsWith("mutualauth serve: listening on", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}

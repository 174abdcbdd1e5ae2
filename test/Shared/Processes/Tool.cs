using System.Diagnostics;
using System.Reflection;

namespace MutualAuth.Testing;

/// <summary>Runs external programs (the mutualauth command, curl, openssl) as a user would.</summary>
internal static class Tool
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The built mutualauth.dll (set by CliUnderTest.props).</summary>
    public static string CliAssembly { get; } = typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "MutualAuthCli").Value!;

    /// <summary>Runs <c>mutualauth ARGS</c>.</summary>
    public static Task<ProcessResult> MutualAuth(params string[] args) => Run("dotnet", [CliAssembly, .. args]);

    public static async Task<ProcessResult> Run(string fileName, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeLimit = null)
    {
        using var process = new Process { StartInfo = StartInfo(fileName, args, workingDirectory) };
        process.StartInfo.RedirectStandardInput = true;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[name] = value;
        }

        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited (e.g. openssl after a refused handshake) before reading its input: its exit code and output tell.
        }

        using var timeout = new CancellationTokenSource(timeLimit ?? Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in {timeLimit ?? Timeout}.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MUTUALAUTH_HOME");
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>A TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

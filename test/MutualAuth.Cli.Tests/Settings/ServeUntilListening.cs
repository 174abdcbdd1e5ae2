using System.Diagnostics;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Settings;

/// <summary>Runs <c>mutualauth serve</c> until it has printed its banner (or exited), then stops it.</summary>
internal static class ServeUntilListening
{
    private const string Listening = "mutualauth serve: listening on ";

    /// <summary>The address of the banner line, e.g. <c>https://127.0.0.1:9443</c>; null, with the output, when serve exited first.</summary>
    public static async Task<(string? Address, string Output)> Run(CliTempFolder folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = new Process { StartInfo = Tool.StartInfo("dotnet", [Tool.CliAssembly, "serve", "--data-dir", folder.Data, .. args]) };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[name] = value;
        }

        process.Start();
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        string? address = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.StartsWith(Listening, StringComparison.Ordinal))
                {
                    address = line[Listening.Length..].Split(' ')[0];
                }

                if (address is not null && line.StartsWith("Call it with:", StringComparison.Ordinal))
                {
                    return (address, output.ToString()); // the banner's end: routes and upstream come before it
                }
            }

            await process.WaitForExitAsync(timeout.Token);
            return (null, output + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }
}

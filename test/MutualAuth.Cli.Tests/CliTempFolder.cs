using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests;

/// <summary>A temporary data folder and a way to run mutualauth against it.</summary>
internal sealed class CliTempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mutualauth-cli-").FullName;

    public string Data => Path.Combine(Root, "data");

    public Task<ProcessResult> Run(params string[] args) => Tool.MutualAuth([.. args, "--data-dir", Data]);

    /// <summary>As <see cref="Run(string[])"/>, with <paramref name="environment"/> added.</summary>
    public Task<ProcessResult> Run(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Tool.Run("dotnet", [Tool.CliAssembly, .. args, "--data-dir", Data], environment: environment);

    /// <summary>Writes <paramref name="json"/> as the data folder's mutualauth.json (creating the folder, owner-only).</summary>
    public string WriteSettings(string json)
    {
        Directory.CreateDirectory(Data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(Data, "mutualauth.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

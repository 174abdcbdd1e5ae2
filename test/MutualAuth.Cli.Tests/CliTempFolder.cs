using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests;

/// <summary>A temporary data folder and a way to run mutualauth against it.</summary>
internal sealed class CliTempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mutualauth-cli-").FullName;

    public string Data => Path.Combine(Root, "data");

    public Task<ProcessResult> Run(params string[] args) => Tool.MutualAuth([.. args, "--data-dir", Data]);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

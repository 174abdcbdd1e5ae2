using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Scram;

/// <summary>
/// A data folder with password users made by <c>mutualauth user add</c> (alice and bob) and a running
/// <c>mutualauth serve</c> with the subclass's arguments; serve's first run creates the CA, the server
/// certificate and the client identity <c>client</c>. Passwords reach the CLI through files, never flags.
/// </summary>
public abstract class ScramGatewayFixture : IAsyncLifetime
{
    public const string AlicePassword = "alice-correct-horse-31f7";
    public const string BobPassword = "bob-battery-staple-58a0";
    public const string WrongPassword = "wrong-tr0ub4dor-9d4a";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-scram-").FullName;

    public string DataDirectory => Path.Combine(_root, "data");

    public DataFolder Folder => new(DataDirectory);

    internal ServeProcess Gateway { get; private set; } = null!;

    /// <summary>The arguments of <c>serve</c> after <c>--data-dir</c> and <c>--listen</c>.</summary>
    protected abstract string[] ServeArguments { get; }

    public async Task InitializeAsync()
    {
        foreach (var (name, password) in new[] { ("alice", AlicePassword), ("bob", BobPassword), ("wrong", WrongPassword) })
        {
            await File.WriteAllTextAsync(PasswordFile(name), password + "\n");
        }

        foreach (var user in new[] { "alice", "bob" })
        {
            var added = await Tool.MutualAuth("user", "add", user, "--password-file", PasswordFile(user), "--data-dir", DataDirectory);
            Assert.True(added.ExitCode == 0, added.ToString());
        }

        Gateway = await ServeProcess.Start(DataDirectory, ServeArguments);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A file whose first line is the password of <paramref name="name"/> (alice, bob, or wrong).</summary>
    public string PasswordFile(string name) => Path.Combine(_root, name + ".pw");

    /// <summary>Runs <c>mutualauth call URL ARGS --data-dir …</c> against the gateway.</summary>
    internal Task<ProcessResult> Call(string path, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Tool.Run("dotnet", [Tool.CliAssembly, "call", Gateway.Url(path), .. args, "--data-dir", DataDirectory], stdin, environment: environment);

    /// <summary>Runs <c>mutualauth call</c> as <paramref name="user"/> with the password from <paramref name="passwordName"/>'s file.</summary>
    internal Task<ProcessResult> CallAs(string user, string passwordName, string path = "/whoami", params string[] extra) =>
        Call(path, ["--user", user, "--password-file", PasswordFile(passwordName), .. extra]);

    /// <summary>Runs curl against the gateway with the data folder's CA, with or without the client identity's certificate.</summary>
    internal Task<ProcessResult> Curl(string path, bool withCertificate, params string[] extra)
    {
        List<string> args = ["-sS", "--max-time", "20", "--cacert", Folder.RootCertificatePath];
        if (withCertificate)
        {
            var client = Folder.Identity("client");
            args.AddRange(["--cert", client.ChainPath, "--key", client.KeyPath]);
        }

        return Tool.Run("curl", [.. args, .. extra, Gateway.Url(path)]);
    }
}

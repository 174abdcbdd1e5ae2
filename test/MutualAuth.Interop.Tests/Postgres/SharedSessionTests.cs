using System.Text.RegularExpressions;
using MutualAuth.Scram;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using Npgsql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>Two <c>mutualauth serve --store</c> nodes on one PostgreSQL 15: a SCRAM session cookie issued by one is accepted by the other.</summary>
[Collection(PostgresTests.Name)]
public sealed partial class SharedSessionTests(PostgresServer server) : IDisposable
{
    private const string AlicePassword = "alice-shared-s3ssion-7c1e";
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-nodes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_session_cookie_from_node_A_is_accepted_by_node_B_and_the_key_ring_is_sealed_in_the_store()
    {
        var store = await server.CreateStoreDatabase("nodes_" + Guid.NewGuid().ToString("N")[..8], "nodes-Store-pw");
        var folderA = Path.Combine(_root, "a");
        var folderB = Path.Combine(_root, "b");
        var passwordFile = Path.Combine(_root, "alice.pw");
        await File.WriteAllTextAsync(passwordFile, AlicePassword + "\n");
        await using var nodeA = await ServeProcess.Start(folderA, "--route", "/=scram", "--store", store, "--node-name", "a");
        var added = await Tool.MutualAuth("user", "add", "alice", "--password-file", passwordFile, "--store", store, "--data-dir", folderA);
        Assert.True(added.ExitCode == 0, added.ToString());
        CopyFolder(folderA, folderB); // as docs/operations.md says: every node gets the first node's data folder
        await using var nodeB = await ServeProcess.Start(folderB, "--route", "/=scram", "--store", store, "--node-name", "b");

        var login = await Tool.MutualAuth("call", nodeA.Url(), "--user", "alice", "--password-file", passwordFile, "--include", "--data-dir", folderA);
        Assert.True(login.ExitCode == 0, login.ToString());
        var cookie = SessionCookie().Match(login.StdOut);
        Assert.True(cookie.Success, login.StdOut);
        var onB = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", new DataFolder(folderB).RootCertificatePath,
            "--cookie", $"{ScramHttp.SessionCookie}={cookie.Groups[1].Value}", nodeB.Url()]);

        Assert.True(onB.ExitCode == 0, onB.ToString());
        Assert.Contains("\"subject\": \"alice\"", onB.StdOut, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT count(*), bool_and(xml LIKE '%<sealedKey%' AND xml NOT LIKE '%<masterKey%') FROM data_protection_key", connection);
        await using var reader = await keys.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.True(reader.GetBoolean(1));
    }

    /// <summary>Copies a node's data folder with its file modes, as docs/operations.md tells operators to.</summary>
    internal static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }

        File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(Path.Combine(to, Path.GetRelativePath(from, directory)), File.GetUnixFileMode(directory));
        }
    }

    [GeneratedRegex(@"(?im)^set-cookie:\s*__Host-mutualauth-scram=([^;\r\n]+)")]
    private static partial Regex SessionCookie();
}

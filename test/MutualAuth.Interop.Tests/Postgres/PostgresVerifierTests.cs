using System.Security.Cryptography;
using System.Text.Json;
using MutualAuth.Scram;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// Verifiers move both ways between PostgreSQL and our store through the real CLI: PostgreSQL's
/// <c>pg_authid.rolpassword</c> imported with <c>mutualauth user import</c> serves our <see cref="ScramServer"/>,
/// and our <c>mutualauth user export</c> output set with <c>CREATE ROLE … PASSWORD '&lt;verifier&gt;'</c> lets
/// our client log into PostgreSQL; a role's password set in PostgreSQL, once imported, logs into <c>serve</c> over HTTP.
/// Neither side ever sees the other's password handling, only the verifier.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresVerifierTests(PostgresServer server) : IDisposable
{
    private const string PasswordVariable = "MUTUALAUTH_TEST_PG_PASSWORD";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-pg-verifiers-").FullName;

    private string DataDirectory => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_verifier_made_by_postgres_is_imported_with_the_cli_and_serves_our_scram_server()
    {
        await server.CreateRole("carol", "carol's pw");
        var verifier = await server.StoredVerifier("carol");
        var file = Path.Combine(_root, "carol.verifier");
        await File.WriteAllTextAsync(file, verifier + "\n");

        var parsed = ScramCredential.ParsePostgres(verifier);
        var imported = await Cli("user", "import", "carol", "--postgres-verifier-file", file);

        Assert.Equal(4096, parsed.Iterations);
        Assert.Equal(ScramCredential.Derive(ScramMechanism.Sha256, "carol's pw", parsed.Salt, parsed.Iterations).StoredKey, parsed.StoredKey);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var store = new SqliteScramUserStore(new DataFolder(DataDirectory).OpenDatabase());
        Assert.True(await Exchange(store, "carol", "carol's pw"), "our ScramServer refused the right password");
        Assert.False(await Exchange(store, "carol", "wrong"), "our ScramServer accepted a wrong password");
    }

    [Fact]
    public async Task A_role_password_set_by_postgres_logs_into_serve_after_import()
    {
        await server.CreateRole("dave", "dave's pw");
        var file = Path.Combine(_root, "dave.verifier");
        await File.WriteAllTextAsync(file, await server.StoredVerifier("dave") + "\n");
        var imported = await Cli("user", "import", "dave", "--postgres-verifier-file", file);
        var listed = await Cli("user", "list", "--json");
        Assert.True(imported.ExitCode == 0, imported.ToString());
        using (var users = JsonDocument.Parse(listed.StdOut))
        {
            Assert.Equal(["SCRAM-SHA-256"], users.RootElement.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "dave")
                .GetProperty("mechanisms").EnumerateArray().Select(m => m.GetString()));
        }

        await using var gateway = await ServeProcess.Start(DataDirectory, "--route", "/=scram");
        var plus = await CallServe(gateway, "dave", "dave's pw");
        var plain = await CallServe(gateway, "dave", "dave's pw", "--channel-binding", "disabled");
        var wrong = await CallServe(gateway, "dave", "wrong");

        foreach (var result in new[] { plus, plain })
        {
            Assert.True(result.ExitCode == 0, result.ToString() + "\n--- serve\n" + gateway.Output);
            Assert.Contains("\"subject\": \"dave\"", result.StdOut, StringComparison.Ordinal);
            Assert.Contains("\"method\": \"scram\"", result.StdOut, StringComparison.Ordinal);
        }

        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains("invalid-proof", wrong.StdErr, StringComparison.Ordinal);
        Assert.True(await gateway.WaitForOutput("SCRAM refused 'dave'"), gateway.Output);
        Assert.Contains("SCRAM authenticated 'dave' with SCRAM-SHA-256-PLUS from", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("SCRAM authenticated 'dave' with SCRAM-SHA-256 from", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verifier_exported_by_the_cli_logs_into_postgres_plain_and_plus()
    {
        var added = await Cli("user", "add", "bob", "--password-env", PasswordVariable);
        var exported = await Cli("user", "export", "bob");
        var verifier = exported.StdOut.Trim();
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(exported.ExitCode == 0, exported.ToString());

        await server.CreateRole("bob", verifier);
        var plain = await PgWireClient.LogIn(new PgLogin(server.Port, "bob", "bob's pw"));
        var plus = await PgWireClient.LogIn(new PgLogin(server.Port, "bob", "bob's pw", server.Certificate, ScramChannelBinding.TlsServerEndPoint));
        var wrong = await PgWireClient.LogIn(new PgLogin(server.Port, "bob", "wrong"));
        var wrongPlus = await PgWireClient.LogIn(new PgLogin(server.Port, "bob", "wrong", server.Certificate, ScramChannelBinding.TlsServerEndPoint));

        Assert.Equal(verifier, await server.StoredVerifier("bob")); // stored as given, not hashed again
        Assert.True(plain.LoggedIn && plain.ServerVerified, plain + "\n" + server.Log);
        Assert.True(plus.LoggedIn && plus.ServerVerified, plus + "\n" + server.Log);
        Assert.Equal("SCRAM-SHA-256-PLUS", plus.Mechanism);
        Assert.Equal("28P01", wrong.Error?.SqlState);
        Assert.Equal("28P01", wrongPlus.Error?.SqlState);
    }

    private Task<ProcessResult> Cli(params string[] args) =>
        Tool.Run("dotnet", [Tool.CliAssembly, .. args, "--data-dir", DataDirectory], environment: new Dictionary<string, string> { [PasswordVariable] = "bob's pw" });

    /// <summary>Runs <c>mutualauth call --user</c> against a running <c>serve</c>, the password in an environment variable.</summary>
    private Task<ProcessResult> CallServe(ServeProcess gateway, string user, string password, params string[] extra) =>
        Tool.Run("dotnet", [Tool.CliAssembly, "call", gateway.Url(), "--user", user, "--password-env", PasswordVariable, .. extra, "--data-dir", DataDirectory],
            environment: new Dictionary<string, string> { [PasswordVariable] = password });

    /// <summary>Runs our client against our server in memory; false when either side refuses.</summary>
    private static async Task<bool> Exchange(SqliteScramUserStore store, string user, string password)
    {
        var scramServer = new ScramServer(ScramMechanism.Sha256, RandomNumberGenerator.GetBytes(32));
        var client = new ScramClient(ScramMechanism.Sha256, user, password);
        try
        {
            var name = scramServer.ReadClientFirst(client.CreateClientFirst());
            var serverFirst = scramServer.AnswerClientFirst(await store.FindAsync(name, ScramMechanism.Sha256));
            client.VerifyServerFinal(scramServer.HandleClientFinal(client.CreateClientFinal(serverFirst)));
            return client.IsAuthenticated && scramServer.IsAuthenticated && scramServer.UserName == user;
        }
        catch (ScramException e) when (e.Error == ScramError.InvalidProof)
        {
            return false;
        }
    }
}

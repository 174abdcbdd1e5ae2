using System.Security.Cryptography;
using MutualAuth.Scram;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// Verifiers move both ways between PostgreSQL and our store through the real CLI: PostgreSQL's
/// <c>pg_authid.rolpassword</c> imported with <c>mutualauth user import</c> serves our <see cref="ScramServer"/>,
/// and our <c>mutualauth user export</c> output set with <c>CREATE ROLE … PASSWORD '&lt;verifier&gt;'</c> lets
/// our client log into PostgreSQL. Neither side ever sees the other's password handling, only the verifier.
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
        Assert.True(Exchange(store, "carol", "carol's pw"), "our ScramServer refused the right password");
        Assert.False(Exchange(store, "carol", "wrong"), "our ScramServer accepted a wrong password");
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

    /// <summary>Runs our client against our server in memory; false when either side refuses.</summary>
    private static bool Exchange(SqliteScramUserStore store, string user, string password)
    {
        var scramServer = new ScramServer(ScramMechanism.Sha256, name => store.Find(name, ScramMechanism.Sha256), RandomNumberGenerator.GetBytes(32));
        var client = new ScramClient(ScramMechanism.Sha256, user, password);
        try
        {
            var serverFirst = scramServer.HandleClientFirst(client.CreateClientFirst());
            client.VerifyServerFinal(scramServer.HandleClientFinal(client.CreateClientFinal(serverFirst)));
            return client.IsAuthenticated && scramServer.IsAuthenticated && scramServer.UserName == user;
        }
        catch (ScramException e) when (e.Error == ScramError.InvalidProof)
        {
            return false;
        }
    }
}

using MutualAuth.Scram;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary><c>mutualauth store migrate|check</c> and <c>user … --store</c> against a real PostgreSQL 15; the password never printed.</summary>
[Collection(PostgresTests.Name)]
public sealed class StoreCommandTests(PostgresServer server) : IDisposable
{
    private const string Password = "cli-Store-s3cret";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mutualauth-store-cli-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Migrate_check_and_a_user_added_with_the_cli_are_in_the_shared_store_and_the_password_is_never_printed()
    {
        var store = await server.CreateStoreDatabase("cli_" + Guid.NewGuid().ToString("N")[..8], Password);

        var check = await Tool.MutualAuth("store", "check", "--store", store);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("pending", check.StdOut, StringComparison.Ordinal);
        var migrate = await Tool.MutualAuth("store", "migrate", "--store", store);
        Assert.Equal(0, migrate.ExitCode);
        var current = await Tool.MutualAuth("store", "check", "--store", store);
        Assert.Equal(0, current.ExitCode);
        var add = await Tool.Run("dotnet", [Tool.CliAssembly, "user", "add", "alice", "--password-env", "ALICE_PW", "--store", store, "--data-dir", _dataDir],
            environment: new Dictionary<string, string> { ["ALICE_PW"] = "alice's pw" });
        Assert.True(add.ExitCode == 0, add.ToString());
        var list = await Tool.MutualAuth("user", "list", "--store", store, "--data-dir", _dataDir);
        Assert.Contains("alice", list.StdOut, StringComparison.Ordinal);
        var wrong = await Tool.MutualAuth("store", "check", "--store", store.Replace(Password, Password + "-wrong", StringComparison.Ordinal));
        Assert.Equal(3, wrong.ExitCode);

        foreach (var result in new[] { check, migrate, current, add, list, wrong })
        {
            Assert.DoesNotContain(Password, result.StdOut + result.StdErr, StringComparison.Ordinal);
        }

        await using var database = new PostgresDatabase(store);
        Assert.NotNull(await new PostgresScramUserStore(database).FindAsync("alice", ScramMechanism.Sha256));
    }
}

using MutualAuth.Testing;
using MutualAuth.Testing.StoreContracts;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteWebAuthnStoresTests : WebAuthnStoreContract, IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteDatabase _second;

    public SqliteWebAuthnStoresTests()
    {
        _database = new SqliteDatabase(Path.Combine(_temp.Path, "db"));
        _second = new SqliteDatabase(Path.Combine(_temp.Path, "db"));
    }

    public void Dispose() => _temp.Dispose();

    protected override IWebAuthnCredentialStore Credentials(int node = 0) => new SqliteWebAuthnCredentialStore(node == 0 ? _database : _second);

    protected override IWebAuthnChallengeStore Challenges(int node = 0) => new SqliteWebAuthnChallengeStore(node == 0 ? _database : _second);

    [Fact]
    public async Task Taking_purges_expired_challenges()
    {
        var store = new SqliteWebAuthnChallengeStore(_database);
        await store.AddAsync("old", "login", "x", Now);
        await store.AddAsync("new", "login", "y", Now.AddMinutes(5));
        Assert.Null(await store.TakeAsync("other", "login", Now.AddMinutes(1)));
        var left = _database.Run(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT group_concat(id) FROM webauthn_challenge";
            return command.ExecuteScalar() as string;
        });
        Assert.Equal("new", left);
    }
}

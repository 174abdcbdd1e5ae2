using Microsoft.Extensions.Time.Testing;
using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Testing.StoreContracts;
using Npgsql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>The WebAuthn credential and challenge store contract on a real PostgreSQL 15, node 1 a second pool on the same database.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresWebAuthnStoresTests(PostgresServer server) : WebAuthnStoreContract, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Now);
    private TwoNodeDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TwoNodeDatabase.CreateAsync(server, "webauthn");

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    protected override IWebAuthnCredentialStore Credentials(int node = 0) => new PostgresWebAuthnCredentialStore(_database.Nodes[node]);

    protected override IWebAuthnChallengeStore Challenges(int node = 0) => new PostgresWebAuthnChallengeStore(_database.Nodes[node], _time);

    [Fact]
    public async Task Adding_purges_expired_challenges_at_most_once_a_minute()
    {
        var store = Challenges();
        await store.AddAsync("old", "login", "x", Now.AddSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(40));
        await store.AddAsync("mid", "login", "y", Now.AddMinutes(5)); // within the minute: no purge yet
        Assert.Equal("mid,old", await Ids());

        _time.Advance(TimeSpan.FromMinutes(1));
        await store.AddAsync("new", "login", "z", Now.AddMinutes(5));
        Assert.Equal("mid,new", await Ids());
    }

    [Fact]
    public async Task The_schema_bounds_what_an_attacker_could_make_a_node_store()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Challenges().AddAsync(new string('a', 129), "login", "x", Now.AddMinutes(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Challenges().AddAsync("a", "login", new string('x', 64 * 1024 + 1), Now.AddMinutes(1)));
        Assert.Null(await Challenges().TakeAsync(new string('a', 129), "login", Now));
        // A credential id over WebAuthn's 1023 bytes is refused by the table itself.
        await Assert.ThrowsAsync<StoreException>(() => Credentials().AddAsync(Credential(1, "alice") with { CredentialId = new byte[1024] }));
    }

    private async Task<string?> Ids()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(id, ',' ORDER BY id) FROM webauthn_challenge", connection);
        return await command.ExecuteScalarAsync() as string;
    }
}

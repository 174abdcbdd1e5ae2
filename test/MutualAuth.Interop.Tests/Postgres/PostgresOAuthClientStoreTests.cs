using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Testing.StoreContracts;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>The OAuth client store contract on a real PostgreSQL 15, node 1 a second pool on the same database.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresOAuthClientStoreTests(PostgresServer server) : OAuthClientStoreContract, IAsyncLifetime
{
    private TwoNodeDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TwoNodeDatabase.CreateAsync(server, "clients");

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    protected override IOAuthClientStore Clients(int node = 0) => new PostgresOAuthClientStore(_database.Nodes[node]);
}

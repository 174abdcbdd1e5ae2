using MutualAuth.Testing.StoreContracts;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteOAuthClientStoreTests : OAuthClientStoreContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-clients-").FullName;
    private readonly SqliteDatabase[] _nodes;

    // Each node opens the data folder's database itself (one after the other: migrating is not made for parallel starts).
    public SqliteOAuthClientStoreTests() => _nodes = [new DataFolder(_root).OpenDatabase(), new DataFolder(_root).OpenDatabase()];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    protected override IOAuthClientStore Clients(int node = 0) => new SqliteOAuthClientStore(_nodes[node]);
}

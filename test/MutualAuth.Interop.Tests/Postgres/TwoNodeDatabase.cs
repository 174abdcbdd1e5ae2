using MutualAuth.Storage.PostgreSql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>A fresh database on the test cluster opened by two pools, standing for two gateway nodes; both migrate at once.</summary>
internal sealed class TwoNodeDatabase : IAsyncDisposable
{
    private TwoNodeDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        Nodes = [new PostgresDatabase(connectionString), new PostgresDatabase(connectionString)];
    }

    public string ConnectionString { get; }

    public PostgresDatabase[] Nodes { get; }

    public static async Task<TwoNodeDatabase> CreateAsync(PostgresServer server, string prefix)
    {
        var database = new TwoNodeDatabase(await server.CreateStoreDatabase(prefix + "_" + Guid.NewGuid().ToString("N")[..8], "s3cret-Store-pw"));
        await Task.WhenAll(database.Nodes.Select(n => n.MigrateAsync()));
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}

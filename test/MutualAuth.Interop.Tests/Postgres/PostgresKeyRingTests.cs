using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Storage.Sqlite;
using Npgsql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>The Data Protection key ring shared through a real PostgreSQL 15: two nodes, one ring, sealed at rest.</summary>
[Collection(PostgresTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The databases are disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class PostgresKeyRingTests(PostgresServer server) : IAsyncLifetime
{
    // The purpose of the SCRAM session cookie (ScramSessions); the WebAuthn one differs only in its name.
    private const string SessionPurpose = "MutualAuth.Scram.Session.v1";
    private readonly SecretBox _box = new(RandomNumberGenerator.GetBytes(32));
    private string _connectionString = "";
    private PostgresDatabase _nodeA = null!;
    private PostgresDatabase _nodeB = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateStoreDatabase("ring_" + Guid.NewGuid().ToString("N")[..8], "s3cret-Ring-pw");
        _nodeA = new PostgresDatabase(_connectionString);
        _nodeB = new PostgresDatabase(_connectionString);
        await _nodeA.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
    }

    [Fact]
    public async Task A_session_sealed_on_one_node_opens_on_the_other_and_the_stored_keys_are_sealed()
    {
        using var a = Node(_nodeA, _box);
        using var b = Node(_nodeB, _box);

        var cookie = a.GetRequiredService<IDataProtectionProvider>().CreateProtector(SessionPurpose).Protect("alice");

        Assert.Equal("alice", b.GetRequiredService<IDataProtectionProvider>().CreateProtector(SessionPurpose).Unprotect(cookie));
        var stored = await StoredKeys();
        Assert.Single(stored); // node B found A's key instead of making its own
        Assert.Contains("<sealedKey", stored[0], StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_whose_data_folder_box_differs_opens_no_session()
    {
        using var a = Node(_nodeA, _box);
        using var stranger = Node(_nodeB, new SecretBox(RandomNumberGenerator.GetBytes(32)));

        var cookie = a.GetRequiredService<IDataProtectionProvider>().CreateProtector(SessionPurpose).Protect("alice");

        Assert.ThrowsAny<CryptographicException>(() => stranger.GetRequiredService<IDataProtectionProvider>().CreateProtector(SessionPurpose).Unprotect(cookie));
    }

    private static ServiceProvider Node(PostgresDatabase database, SecretBox box)
    {
        var services = new ServiceCollection();
        SharedKeyRing.Use(services.AddDataProtection(), database,
            key => box.Seal(key, SharedKeyRing.SealContext), sealedKey => box.Open(sealedKey, SharedKeyRing.SealContext));
        return services.BuildServiceProvider();
    }

    private async Task<List<string>> StoredKeys()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT xml FROM data_protection_key", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

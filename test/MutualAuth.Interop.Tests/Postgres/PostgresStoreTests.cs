using System.Security.Cryptography.X509Certificates;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Scram;
using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Testing;
using Npgsql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>Every store interface on a real PostgreSQL 15, with two store instances standing for two gateway nodes.</summary>
[Collection(PostgresTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The databases are disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class PostgresStoreTests(PostgresServer server) : IAsyncLifetime
{
    private const string Password = "s3cret-Store-pw";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private string _connectionString = "";
    private PostgresDatabase _nodeA = null!;
    private PostgresDatabase _nodeB = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateStoreDatabase("store_" + Guid.NewGuid().ToString("N")[..8], Password);
        _nodeA = new PostgresDatabase(_connectionString);
        _nodeB = new PostgresDatabase(_connectionString);
        // Two nodes starting together migrate once between them.
        await Task.WhenAll(_nodeA.MigrateAsync(), _nodeB.MigrateAsync());
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
    }

    [Fact]
    public async Task The_schema_is_current_after_migration_and_a_second_migration_changes_nothing()
    {
        Assert.Empty(await _nodeA.PendingMigrationsAsync());
        await _nodeB.MigrateAsync();
        Assert.Empty(await _nodeB.PendingMigrationsAsync());
    }

    [Fact]
    public async Task A_nonce_used_on_one_node_is_a_replay_on_the_other_until_it_expires()
    {
        var a = new PostgresReplayCache(_nodeA);
        var b = new PostgresReplayCache(_nodeB);

        Assert.True(await a.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        Assert.False(await b.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        Assert.True(await b.TryAddAsync("k2", "n1", Now.AddMinutes(5), Now));
        Assert.True(await b.TryAddAsync("k1", "n1", Now.AddMinutes(10), Now.AddMinutes(6)));
    }

    [Fact]
    public async Task Of_many_concurrent_adds_of_one_value_across_nodes_exactly_one_succeeds()
    {
        var caches = new[] { new PostgresReplayCache(_nodeA), new PostgresReplayCache(_nodeB) };
        var added = 0;

        await Parallel.ForAsync(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            if (await caches[i % 2].TryAddAsync("k1", "same-nonce", Now.AddMinutes(5), Now, cancellationToken))
            {
                Interlocked.Increment(ref added);
            }
        });

        Assert.Equal(1, added);
    }

    [Fact]
    public async Task A_user_saved_through_one_node_logs_in_through_the_other()
    {
        await new PostgresScramUserStore(_nodeA).SaveAsync("I\u00ADX", [ScramCredential.Create(ScramMechanism.Sha256, "pw")], Now);
        var store = new PostgresScramUserStore(_nodeB);
        var scramServer = new ScramServer(ScramMechanism.Sha256, new byte[32]);
        var client = new ScramClient(ScramMechanism.Sha256, "IX", "pw");

        var name = scramServer.ReadClientFirst(client.CreateClientFirst());
        var serverFirst = scramServer.AnswerClientFirst(await store.FindAsync(name, ScramMechanism.Sha256));
        client.VerifyServerFinal(scramServer.HandleClientFinal(client.CreateClientFinal(serverFirst)));

        Assert.True(scramServer.IsAuthenticated && client.IsAuthenticated);
        Assert.Equal([new ScramCredentialShape(ScramCredential.MinIterations, 16, 1)], await store.ShapesAsync(ScramMechanism.Sha256));
        var listed = Assert.Single(await store.ListAsync());
        Assert.Equal("IX", listed.UserName);
        Assert.Equal(["SCRAM-SHA-256"], listed.Mechanisms);
        Assert.Null(await store.FindAsync("IX", ScramMechanism.Sha512));
        Assert.True(await store.RemoveAsync("IX"));
        Assert.False(await new PostgresScramUserStore(_nodeA).RemoveAsync("IX"));
    }

    [Fact]
    public async Task Keys_are_registered_listed_expired_and_revoked_once()
    {
        var store = new PostgresSignatureKeyStore(_nodeA);
        var hmac = new SignatureKeyRecord { KeyId = "k1", Client = "alice", Algorithm = "hmac-sha256", SealedSecret = [1, 2, 3], CreatedAt = Now };
        var ecdsa = new SignatureKeyRecord { KeyId = "k2", Client = "bob", Algorithm = "ecdsa-p256-sha256", PublicKey = [4, 5], CreatedAt = Now.AddSeconds(1) };
        await store.AddAsync(hmac);
        await store.AddAsync(ecdsa);

        var other = new PostgresSignatureKeyStore(_nodeB);
        Assert.Equal(hmac, (await other.FindAsync("k1"))! with { SealedSecret = hmac.SealedSecret });
        Assert.Equal([1, 2, 3], (await other.FindAsync("k1"))!.SealedSecret);
        Assert.Equal(["k2", "k1"], (await other.ListAsync()).Select(k => k.KeyId));
        Assert.Equal(["k2"], (await other.ListAsync("bob")).Select(k => k.KeyId));
        await Assert.ThrowsAsync<StoreException>(() => store.AddAsync(hmac));
        Assert.True(await other.ExpireAsync("k1", Now.AddMinutes(1)));
        Assert.True(await other.RevokeAsync("k2", Now));
        Assert.False(await store.RevokeAsync("k2", Now));
        Assert.False((await store.FindAsync("k2"))!.IsUsableAt(Now));
        Assert.Equal(Now.AddMinutes(1), (await store.FindAsync("k1"))!.NotAfter);
    }

    [Fact]
    public async Task Certificates_revoked_through_one_node_are_listed_by_the_other_and_notified()
    {
        var a = new PostgresCertificateStore(_nodeA);
        var b = new PostgresCertificateStore(_nodeB);
        var authority = new CertificateAuthorityRecord("Test", KeyAlgorithm.EcdsaP256, "root", "intermediate", Now);
        await a.SaveAuthorityAsync(authority);
        await Assert.ThrowsAsync<StoreException>(() => b.SaveAuthorityAsync(authority));
        Assert.Equal(authority, await b.GetAuthorityAsync());
        await a.AddIssuedAsync(Record("0A", "alice"));
        await a.AddIssuedAsync(Record("0B", "bob"));
        await Assert.ThrowsAsync<StoreException>(() => b.AddIssuedAsync(Record("0a", "again")));
        Assert.Equal(["0B", "0A"], (await b.ListIssuedAsync()).Select(r => r.SerialNumber));

        await using var listener = new NpgsqlConnection(_connectionString);
        await listener.OpenAsync();
        var notified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => notified.TrySetResult(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN mutualauth_revocation", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        Assert.True(await a.RevokeAsync("0a", X509RevocationReason.KeyCompromise, Now));
        Assert.False(await b.RevokeAsync("0A", X509RevocationReason.KeyCompromise, Now));
        await listener.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("0A", await notified.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        var revoked = Assert.Single(await b.ListRevokedAsync());
        Assert.Equal(("0A", X509RevocationReason.KeyCompromise), (revoked.SerialNumber, revoked.Reason));
        Assert.Equal("revoked", (await b.FindIssuedAsync("0a"))!.StatusAt(Now));
        var first = await a.NextCrlNumberAsync();
        Assert.Equal((1L, 2L), (first, await b.NextCrlNumberAsync()));
    }

    [Fact]
    public async Task Audit_events_of_both_nodes_land_in_one_table_with_the_node_name()
    {
        var a = new PostgresAuditStore(_nodeA, "node-a");
        var b = new PostgresAuditStore(_nodeB, "node-b");
        await a.AppendAsync(Event("first"));
        await b.AppendRangeAsync([Event("second"), Event("third")]);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await a.AppendRangeAsync([Event("never"), null!]));

        Assert.Equal(["third", "second", "first"], (await a.ListRecentAsync(10)).Select(e => e.ReasonCode));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var nodes = new NpgsqlCommand("SELECT string_agg(node, ',' ORDER BY id) FROM audit_event", connection);
        Assert.Equal("node-a,node-b,node-b", await nodes.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_unreachable_database_fails_closed_within_the_timeout_and_no_message_holds_the_password()
    {
        var unreachable = $"Host=127.0.0.1;Port={Tool.FreePort()};Database=x;Username=x;Password={Password};Timeout=2";
        await using var database = new PostgresDatabase(unreachable);
        var started = DateTimeOffset.UtcNow;

        var e = await Assert.ThrowsAsync<StoreException>(async () => await new PostgresReplayCache(database).TryAddAsync("k", "n", Now.AddMinutes(5), Now));

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, database.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, PostgresDatabase.Redact(_connectionString), StringComparison.Ordinal);
        var wrongPassword = _connectionString.Replace(Password, Password + "-wrong", StringComparison.Ordinal);
        await using var refused = new PostgresDatabase(wrongPassword);
        var login = await Assert.ThrowsAsync<StoreException>(() => refused.PendingMigrationsAsync());
        Assert.DoesNotContain(Password, login.ToString(), StringComparison.Ordinal);
    }

    private static IssuedCertificateRecord Record(string serial, string name) => new()
    {
        SerialNumber = serial,
        Name = name,
        Subject = "CN=" + name,
        SubjectAlternativeNames = ["DNS:" + name],
        Profile = "client",
        NotBefore = Now,
        NotAfter = Now.AddDays(1),
        CertificatePem = "pem",
    };

    private static AuditEvent Event(string reason) => new() { Time = Now, Decision = AuditDecision.Refuse, Method = "sig", ReasonCode = reason, PeerAddress = "127.0.0.1:1" };
}

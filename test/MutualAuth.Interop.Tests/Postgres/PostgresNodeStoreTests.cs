using System.Security.Cryptography.X509Certificates;
using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>What lets several nodes agree, on a real PostgreSQL 15: SCRAM exchanges taken once, the shared CRL, and revocations heard by LISTEN.</summary>
[Collection(PostgresTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The databases are disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class PostgresNodeStoreTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private PostgresDatabase _nodeA = null!;
    private PostgresDatabase _nodeB = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await server.CreateStoreDatabase("nodes_" + Guid.NewGuid().ToString("N")[..8], "nodes-Store-pw");
        _nodeA = new PostgresDatabase(connectionString);
        _nodeB = new PostgresDatabase(connectionString);
        await _nodeA.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
    }

    [Fact]
    public async Task A_scram_exchange_stored_on_one_node_is_taken_exactly_once_across_nodes()
    {
        var a = new PostgresScramExchangeStore(_nodeA);
        var b = new PostgresScramExchangeStore(_nodeB);
        var exchange = Exchange("sid-1", "192.0.2.1", Now.AddSeconds(30));
        Assert.True(await a.TryAddAsync(exchange, 100, 10, Now));

        var takes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? a : b).TakeAsync("sid-1", Now.AddSeconds(1)).AsTask()));

        Assert.Equal(exchange, Assert.Single(takes, t => t is not null));
        Assert.True(await a.TryAddAsync(Exchange("sid-2", "192.0.2.1", Now.AddSeconds(30)), 100, 10, Now));
        Assert.Null(await b.TakeAsync("sid-2", Now.AddSeconds(31))); // expired: refused, and gone
        Assert.Null(await a.TakeAsync("sid-2", Now));
    }

    [Fact]
    public async Task The_exchange_bounds_count_live_exchanges_only_in_total_and_per_address()
    {
        var a = new PostgresScramExchangeStore(_nodeA);
        var b = new PostgresScramExchangeStore(_nodeB);

        Assert.True(await a.TryAddAsync(Exchange("x1", "192.0.2.7", Now.AddSeconds(30)), 3, 2, Now));
        Assert.True(await b.TryAddAsync(Exchange("x2", "192.0.2.7", Now.AddSeconds(30)), 3, 2, Now));
        Assert.False(await a.TryAddAsync(Exchange("x3", "192.0.2.7", Now.AddSeconds(30)), 3, 2, Now));
        Assert.True(await a.TryAddAsync(Exchange("x4", "192.0.2.8", Now.AddSeconds(30)), 3, 2, Now));
        Assert.False(await b.TryAddAsync(Exchange("x5", "192.0.2.9", Now.AddSeconds(30)), 3, 2, Now));
        Assert.True(await b.TryAddAsync(Exchange("x6", "192.0.2.7", Now.AddSeconds(90)), 3, 2, Now.AddSeconds(31)));
    }

    [Fact]
    public async Task The_shared_crl_keeps_the_highest_number()
    {
        var a = new PostgresCertificateStore(_nodeA);
        var b = new PostgresCertificateStore(_nodeB);
        await a.SaveAuthorityAsync(new CertificateAuthorityRecord("Nodes CA", MutualAuth.Certificates.KeyAlgorithm.EcdsaP256, "root", "intermediate", Now));

        Assert.Null(await b.GetPublishedCrlAsync());
        Assert.True(await a.PublishCrlAsync(5, "crl five"));
        Assert.False(await b.PublishCrlAsync(4, "crl four"));
        Assert.Equal("crl five", await b.GetPublishedCrlAsync());
        Assert.True(await b.PublishCrlAsync(6, "crl six"));
        Assert.Equal("crl six", await a.GetPublishedCrlAsync());
    }

    [Fact]
    public async Task A_revocation_on_one_node_is_heard_by_the_other_and_the_listener_reconnects_by_itself()
    {
        var store = new PostgresCertificateStore(_nodeB);
        await store.SaveAuthorityAsync(new CertificateAuthorityRecord("Nodes CA", MutualAuth.Certificates.KeyAlgorithm.EcdsaP256, "root", "intermediate", Now));
        await store.AddIssuedAsync(Issued("0A"));
        await store.AddIssuedAsync(Issued("0B"));
        var calls = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var failures = 0;
        await using var listener = new PostgresChangeListener(_nodeA, PostgresCertificateStore.RevocationChannel,
            cancel => calls.Writer.WriteAsync(0, cancel).AsTask(), _ => Interlocked.Increment(ref failures), TimeSpan.FromMilliseconds(100));
        await NextCall(calls); // the call after connecting

        Assert.True(await store.RevokeAsync("0A", X509RevocationReason.KeyCompromise, Now));
        await NextCall(calls);
        await server.Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN mutualauth_revocation%'");
        await NextCall(calls); // reconnected: called again for what it may have missed
        Assert.True(await store.RevokeAsync("0B", X509RevocationReason.KeyCompromise, Now));
        await NextCall(calls);

        Assert.True(failures >= 1);
        Assert.True(listener.IsListening);
    }

    private static async Task NextCall(System.Threading.Channels.Channel<int> calls) =>
        await calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private static ScramPendingExchange Exchange(string id, string address, DateTimeOffset expires) =>
        new(id, "SCRAM-SHA-256", "alice", address, "n,,", "n=alice,r=abc", "r=abcdef,s=c2FsdA==,i=4096", expires);

    private static IssuedCertificateRecord Issued(string serial) => new()
    {
        SerialNumber = serial,
        Name = "n" + serial,
        Subject = "CN=n" + serial,
        SubjectAlternativeNames = [],
        Profile = "client",
        NotBefore = Now,
        NotAfter = Now.AddDays(1),
        CertificatePem = "pem",
    };
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Authentication;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Tokens;
using Npgsql;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>The token signing keys shared through a real PostgreSQL 15: two nodes, one key per rotation period, sealed at rest.</summary>
[Collection(PostgresTests.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The databases are disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class PostgresTokenKeysTests(PostgresServer server) : IAsyncLifetime
{
    private const string Issuer = "https://as.example";
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);
    private readonly SecretBox _box = new(RandomNumberGenerator.GetBytes(32));
    // Ten days into a period: neither pre-publishing nor the overlap is in play at the start.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(Period.Ticks * 700) + TimeSpan.FromDays(10));
    private string _connectionString = "";
    private PostgresDatabase _nodeA = null!;
    private PostgresDatabase _nodeB = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateStoreDatabase("tokenkeys_" + Guid.NewGuid().ToString("N")[..8], "s3cret-Keys-pw");
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
    public async Task Both_nodes_sign_with_one_key_and_rotation_creates_one_key_that_the_other_node_verifies()
    {
        var a = Keys(_nodeA);
        var b = Keys(_nodeB);

        var first = a.Current();
        Assert.Equal(first.CurrentKeyId, b.Current().CurrentKeyId);
        Assert.Equal(1, await Count());

        // Past the boundary both nodes rotate at once: one key between them, every node signs with it.
        _time.Advance(TimeSpan.FromDays(20) + TimeSpan.FromMinutes(1));
        var rotated = await Task.WhenAll(Task.Run(a.Current), Task.Run(b.Current));
        Assert.NotEqual(first.CurrentKeyId, rotated[0].CurrentKeyId);
        Assert.Equal(rotated[0].CurrentKeyId, rotated[1].CurrentKeyId);
        Assert.Equal(2, await Count());

        // A token signed with A's new key verifies with B's published keys; the old key still verifies during the overlap.
        Assert.True((await Validate(Token(rotated[0]), b)).IsValid);
        Assert.True((await Validate(Token(first), b)).IsValid);
        Assert.Equal([rotated[0].CurrentKeyId, first.CurrentKeyId], b.Current().Published.Select(p => p.KeyId));

        // After the overlap the old key leaves every node's JWKS (re-read within a minute).
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal([rotated[0].CurrentKeyId], a.Current().Published.Select(p => p.KeyId));
        Assert.Equal([rotated[0].CurrentKeyId], b.Current().Published.Select(p => p.KeyId));
        Assert.Equal(TokenReasons.UnknownKey, (await Validate(Token(first), b)).Reason);
    }

    [Fact]
    public async Task Eight_nodes_starting_at_once_on_an_empty_store_create_one_key_and_all_sign_with_it()
    {
        var nodes = Enumerable.Range(0, 8).Select(i => Keys(i % 2 == 0 ? _nodeA : _nodeB)).ToList();

        var current = await Task.WhenAll(nodes.Select(n => Task.Run(n.Current)));

        Assert.Single(current.Select(c => c.CurrentKeyId).Distinct());
        Assert.Equal(1, await Count());
    }

    [Fact]
    public async Task The_next_key_is_published_by_every_node_before_any_node_signs_with_it()
    {
        var a = Keys(_nodeA);
        var b = Keys(_nodeB);
        var first = a.Current();
        _ = b.Current();

        // Within the pre-publishing hour before the boundary, A creates the next key; B reads it within a minute.
        _time.Advance(TimeSpan.FromDays(20) - TimeSpan.FromMinutes(30));
        var before = a.Current();
        Assert.Equal(first.CurrentKeyId, before.CurrentKeyId);
        Assert.Equal(2, before.Published.Count);
        var next = before.Published[0].KeyId;
        Assert.Equal([next, first.CurrentKeyId], b.Current().Published.Select(p => p.KeyId));

        // Even with A's clock ahead of B's, B already verifies what A signs after the boundary.
        var aheadTime = new FakeTimeProvider(_time.GetUtcNow() + TimeSpan.FromMinutes(31));
        var ahead = Keys(_nodeA, aheadTime).Current();
        Assert.Equal(next, ahead.CurrentKeyId);
        Assert.True((await Validate(Token(ahead), b)).IsValid);
        Assert.Equal(2, await Count());
    }

    [Fact]
    public async Task Stored_private_keys_are_sealed_and_a_node_with_another_box_cannot_open_them()
    {
        var current = Keys(_nodeA).Current();

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT sealed_key FROM token_signing_key", connection);
        var stored = (byte[])(await select.ExecuteScalarAsync())!;
        var text = Encoding.Latin1.GetString(stored);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", text, StringComparison.Ordinal);
        var pkcs8 = ((System.Security.Cryptography.ECDsa)current.Current.Key!).ExportPkcs8PrivateKey();
        Assert.True(stored.AsSpan().IndexOf(pkcs8) < 0);
        Assert.True(stored.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(pkcs8)[..32])) < 0);

        var strangerBox = new SecretBox(RandomNumberGenerator.GetBytes(32));
        var stranger = new SharedTokenKeys(new PostgresTokenSigningKeyStore(_nodeB),
            k => strangerBox.Seal(k, SharedTokenKeys.SealContext), s => strangerBox.Open(s, SharedTokenKeys.SealContext), _time);
        Assert.ThrowsAny<CryptographicException>(() => stranger.Current());
    }

    private SharedTokenKeys Keys(PostgresDatabase database, TimeProvider? time = null) =>
        new(new PostgresTokenSigningKeyStore(database), k => _box.Seal(k, SharedTokenKeys.SealContext), s => _box.Open(s, SharedTokenKeys.SealContext), time ?? _time)
        {
            RotationPeriod = Period,
        };

    private string Token(TokenSigningKeys keys) =>
        new AccessTokenIssuer(Issuer, keys.Current, keys.CurrentKeyId, _time).Issue("client-1", Issuer, [], TokenConfirmation.Dpop("thumbprint"));

    private ValueTask<TokenResult<AccessToken>> Validate(string token, SharedTokenKeys verifier) =>
        new AccessTokenValidator([TrustedIssuer.Pinned(Issuer, () => [.. verifier.Current().Published.Select(k => PublicJwk.From(k.Key, k.KeyId))])], Issuer, _time)
            .ValidateAsync(token);

    private async Task<long> Count()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM token_signing_key", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

using Microsoft.Extensions.Time.Testing;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

/// <summary>Key look-up by keyid, and the bound on how long a revocation made elsewhere can go unnoticed.</summary>
public sealed class LocalSignatureKeysTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private LocalSignatureKeys Keys(TimeSpan? cacheLifetime = null) =>
        new(new DataFolder(_temp.Path), _time) { CacheLifetime = cacheLifetime ?? TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_registered_key_resolves_to_its_client_and_secret()
    {
        var keys = Keys();
        var (record, secret, _) = await keys.CreateAsync("alice", HttpSignatureAlgorithm.HmacSha256);

        var (client, key) = (await keys.ResolveAsync(record.KeyId))!.Value;

        using (key)
        {
            using var expected = HttpSignatureKey.Hmac(secret);
            Assert.Equal("alice", client);
            Assert.Equal(expected.Sign("base"u8), key.Sign("base"u8));
        }

        Assert.Null(await keys.ResolveAsync("unknown"));
    }

    [Fact]
    public async Task A_revocation_by_another_process_takes_effect_within_the_cache_lifetime()
    {
        var gateway = Keys();
        var (record, _, _) = await gateway.CreateAsync("alice", HttpSignatureAlgorithm.HmacSha256);
        Assert.True(await Resolves(gateway, record.KeyId));

        Assert.True(await Keys().Store.RevokeAsync(record.KeyId, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(await Resolves(gateway, record.KeyId));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await Resolves(gateway, record.KeyId));
    }

    [Fact]
    public async Task Without_a_cache_a_revocation_takes_effect_at_once()
    {
        var gateway = Keys(TimeSpan.Zero);
        var (record, _, _) = await gateway.CreateAsync("alice", HttpSignatureAlgorithm.HmacSha256);
        Assert.True(await Resolves(gateway, record.KeyId));

        await Keys().Store.RevokeAsync(record.KeyId, _time.GetUtcNow());

        Assert.False(await Resolves(gateway, record.KeyId));
    }

    [Fact]
    public async Task The_expiry_in_a_remembered_record_applies_exactly()
    {
        var gateway = Keys(LocalSignatureKeys.MaxCacheLifetime);
        var (record, _, _) = await gateway.CreateAsync("alice", HttpSignatureAlgorithm.HmacSha256);
        await gateway.Store.ExpireAsync(record.KeyId, _time.GetUtcNow().AddSeconds(30));
        Assert.True(await Resolves(gateway, record.KeyId));

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(await Resolves(gateway, record.KeyId));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void The_cache_lifetime_is_bounded(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Keys(TimeSpan.FromSeconds(seconds)));

    private static async Task<bool> Resolves(LocalSignatureKeys keys, string keyId)
    {
        var found = await keys.ResolveAsync(keyId);
        found?.Key.Dispose();
        return found is not null;
    }
}

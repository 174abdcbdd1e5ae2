using System.Security.Cryptography;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteSignatureKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();
    private readonly SqliteDatabase _database;

    public SqliteSignatureKeyStoreTests() => _database = new SqliteDatabase(Path.Combine(_temp.Path, "db"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keys_round_trip_and_list_by_client()
    {
        var store = new SqliteSignatureKeyStore(_database);
        var hmac = new SignatureKeyRecord { KeyId = "k1", Client = "alice", Algorithm = "hmac-sha256", SealedSecret = [1, 2, 3], CreatedAt = Now };
        var ecdsa = new SignatureKeyRecord { KeyId = "k2", Client = "bob", Algorithm = "ecdsa-p256-sha256", PublicKey = [4, 5], CreatedAt = Now.AddMinutes(1) };

        await store.AddAsync(hmac);
        await store.AddAsync(ecdsa);

        Assert.Equivalent(hmac, await store.FindAsync("k1"));
        Assert.Null(await store.FindAsync("nope"));
        Assert.Equal(["k2", "k1"], (await store.ListAsync()).Select(k => k.KeyId));
        Assert.Equal(["k1"], (await store.ListAsync("alice")).Select(k => k.KeyId));
        await Assert.ThrowsAsync<StoreException>(() => store.AddAsync(hmac));
    }

    [Fact]
    public async Task Expiry_and_revocation_end_a_key()
    {
        var store = new SqliteSignatureKeyStore(_database);
        await store.AddAsync(new SignatureKeyRecord { KeyId = "k", Client = "alice", Algorithm = "ed25519", PublicKey = [1], CreatedAt = Now });

        Assert.True(await store.ExpireAsync("k", Now.AddHours(1)));
        Assert.True((await store.FindAsync("k"))!.IsUsableAt(Now));
        Assert.False((await store.FindAsync("k"))!.IsUsableAt(Now.AddHours(1)));
        Assert.True(await store.RevokeAsync("k", Now));
        Assert.False(await store.RevokeAsync("k", Now));
        Assert.False((await store.FindAsync("k"))!.IsUsableAt(Now));
        Assert.False(await store.ExpireAsync("missing", Now));
    }

    [Fact]
    public async Task A_value_is_accepted_once_until_it_expires()
    {
        var cache = new SqliteReplayCache(_database);

        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        Assert.False(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now.AddMinutes(1)));
        Assert.True(await cache.TryAddAsync("k2", "n1", Now.AddMinutes(5), Now));
        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(10), Now.AddMinutes(6)));
    }

    [Fact]
    public async Task An_expired_value_is_taken_over_between_purges_and_then_refused_again()
    {
        var cache = new SqliteReplayCache(_database);

        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddSeconds(10), Now));
        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(1), Now.AddSeconds(20)));
        Assert.False(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(2), Now.AddSeconds(30)));
    }

    [Fact]
    public async Task Of_many_concurrent_adds_of_one_value_exactly_one_succeeds()
    {
        var caches = Enumerable.Range(0, 4).Select(_ => new SqliteReplayCache(new SqliteDatabase(_database.Path))).ToList();
        var added = 0;

        await Parallel.ForAsync(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            if (await caches[i % caches.Count].TryAddAsync("k1", "same-nonce", Now.AddMinutes(5), Now, cancellationToken))
            {
                Interlocked.Increment(ref added);
            }
        });

        Assert.Equal(1, added);
    }

    [Fact]
    public void Sealed_secrets_open_only_with_the_same_box_and_context()
    {
        var folder = new DataFolder(_temp.Path);
        var box = SecretBox.For(folder);
        var secret = RandomNumberGenerator.GetBytes(32);

        var sealedSecret = box.Seal(secret, "k1");

        Assert.Equal(secret, SecretBox.For(folder).Open(sealedSecret, "k1"));
        Assert.DoesNotContain(Convert.ToHexString(secret), Convert.ToHexString(sealedSecret), StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => box.Open(sealedSecret, "k2"));
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(new byte[32]).Open(sealedSecret, "k1"));
    }
}

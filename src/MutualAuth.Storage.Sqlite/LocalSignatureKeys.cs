using System.Collections.Concurrent;
using System.Security.Cryptography;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// The RFC 9421 client keys of a data folder (register, rotate, revoke, resolve by <c>keyid</c>; HMAC secrets sealed at
/// rest) and the server's response-signing key pair.
/// </summary>
public sealed class LocalSignatureKeys
{
    /// <summary>The HMAC secret size, in bytes (256 bits).</summary>
    public const int SecretSize = 32;

    /// <summary>The longest <see cref="CacheLifetime"/> accepted: revocation must stay prompt.</summary>
    public static readonly TimeSpan MaxCacheLifetime = TimeSpan.FromMinutes(1);

    private readonly DataFolder _folder;
    private readonly Lazy<SecretBox> _box;
    private readonly ConcurrentDictionary<string, (SignatureKeyRecord Record, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>Opens the keys of <paramref name="folder"/>.</summary>
    public LocalSignatureKeys(DataFolder folder, TimeProvider timeProvider)
        : this(folder, timeProvider, new SqliteSignatureKeyStore((folder ?? throw new ArgumentNullException(nameof(folder))).OpenDatabase()))
    {
    }

    /// <summary>The keys registered in <paramref name="store"/> (e.g. shared by several nodes), HMAC secrets sealed with the box of <paramref name="folder"/>.</summary>
    public LocalSignatureKeys(DataFolder folder, TimeProvider timeProvider, ISignatureKeyStore store)
    {
        _folder = folder ?? throw new ArgumentNullException(nameof(folder));
        Time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Store = store ?? throw new ArgumentNullException(nameof(store));
        _box = new Lazy<SecretBox>(() => SecretBox.For(folder));
    }

    /// <summary>The key store.</summary>
    public ISignatureKeyStore Store { get; }

    /// <summary>The clock for registration, expiry and revocation times.</summary>
    public TimeProvider Time { get; }

    /// <summary>How long <see cref="ResolveAsync"/> reuses a key record read from the store (default 5 s; zero reads every time).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or above <see cref="MaxCacheLifetime"/>.</exception>
    public TimeSpan CacheLifetime
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxCacheLifetime);
            field = value;
        }
    } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers a new key for <paramref name="client"/> and returns its record with what the client signs with: the
    /// secret (HMAC), the private key when generated here, or nothing when the client brought its public key.
    /// </summary>
    /// <exception cref="ArgumentException">The public key does not fit the algorithm, or HMAC with a public key.</exception>
    public async Task<(SignatureKeyRecord Record, byte[]? Secret, string? PrivateKeyPem)> CreateAsync(string client, HttpSignatureAlgorithm algorithm, string? publicKeyPem = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(client);
        var keyId = $"{client}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var now = Time.GetUtcNow();
        var record = new SignatureKeyRecord { KeyId = keyId, Client = client, Algorithm = HttpSignatureAlgorithms.Name(algorithm), CreatedAt = now };
        if (algorithm == HttpSignatureAlgorithm.HmacSha256)
        {
            if (publicKeyPem is not null)
            {
                throw new ArgumentException("hmac-sha256 uses a shared secret, not a public key.", nameof(publicKeyPem));
            }

            var secret = RandomNumberGenerator.GetBytes(SecretSize);
            await Store.AddAsync(record with { SealedSecret = _box.Value.Seal(secret, keyId) }, cancellationToken).ConfigureAwait(false);
            return ((await Store.FindAsync(keyId, cancellationToken).ConfigureAwait(false))!, secret, null);
        }

        using var key = publicKeyPem is null ? HttpSignatureKey.Generate(algorithm) : HttpSignatureKey.FromPem(publicKeyPem, algorithm);
        if (publicKeyPem is not null && key.CanSign)
        {
            throw new ArgumentException("Give the public key only: the private key stays with the client.", nameof(publicKeyPem));
        }

        await Store.AddAsync(record with { PublicKey = SpkiDer(key.ExportPublicKeyPem()!) }, cancellationToken).ConfigureAwait(false);
        return ((await Store.FindAsync(keyId, cancellationToken).ConfigureAwait(false))!, null, publicKeyPem is null ? key.ExportPrivateKeyPem() : null);
    }

    /// <summary>The client and verification key of a usable (registered, unexpired, unrevoked) <paramref name="keyId"/>, or null.</summary>
    /// <exception cref="CryptographicException">A sealed secret does not open (another data folder's box).</exception>
    public async ValueTask<(string Client, HttpSignatureKey Key)?> ResolveAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var now = Time.GetUtcNow();
        if (await FindAsync(keyId, now, cancellationToken).ConfigureAwait(false) is not { } record || !record.IsUsableAt(now) || !HttpSignatureAlgorithms.TryParse(record.Algorithm, out var algorithm))
        {
            return null;
        }

        if (record.SealedSecret is { } sealedSecret)
        {
            var secret = _box.Value.Open(sealedSecret, record.KeyId);
            try
            {
                return (record.Client, HttpSignatureKey.Hmac(secret));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }

        return record.PublicKey is { } spki ? (record.Client, HttpSignatureKey.FromPem(PemEncoding.WriteString("PUBLIC KEY", spki), algorithm)) : null;
    }

    /// <summary>The record of <paramref name="keyId"/>: remembered if read less than <see cref="CacheLifetime"/> ago, else from the store.</summary>
    private async ValueTask<SignatureKeyRecord?> FindAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Remembering records spares a gateway a store read per request. A key's own expiry and not_after still apply
        // exactly; only a revocation made by another process (key revoke while serve runs) waits up to CacheLifetime.
        // Unknown keyids are never remembered.
        if (_cache.TryGetValue(keyId, out var cached) && now >= cached.ReadAt && now - cached.ReadAt < CacheLifetime)
        {
            return cached.Record;
        }

        var record = await Store.FindAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            _cache.TryRemove(keyId, out _);
        }
        else if (CacheLifetime > TimeSpan.Zero)
        {
            _cache[keyId] = (record, now);
        }

        return record;
    }

    /// <summary>The server's response-signing key (ECDSA P-256, <c>ecdsa-p256-sha256</c>), created on first use.</summary>
    public (string KeyId, HttpSignatureKey Key) ServerKey()
    {
        var path = _folder.ServerSigningKeyPath;
        if (!File.Exists(path))
        {
            using var created = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
            DataFolder.WriteFile(path, created.ExportPrivateKeyPem(), secret: true);
        }

        var key = HttpSignatureKey.FromPem(File.ReadAllText(path), HttpSignatureAlgorithm.EcdsaP256Sha256);
        return (ServerKeyId(key.ExportPublicKeyPem()!), key);
    }

    /// <summary>The server key's <c>keyid</c>: <c>mutualauth-server-</c> and the first 8 bytes of SHA-256(SPKI), in hex.</summary>
    public static string ServerKeyId(string publicKeyPem) =>
        "mutualauth-server-" + Convert.ToHexStringLower(SHA256.HashData(SpkiDer(publicKeyPem))[..8]);

    private static byte[] SpkiDer(string publicKeyPem)
    {
        var fields = PemEncoding.Find(publicKeyPem);
        return Convert.FromBase64String(publicKeyPem[fields.Base64Data]);
    }
}
